import { ExecutionContext, Injectable } from '@nestjs/common';
import { AimAuthGuard, AimGuardRequest } from '@mes-web-api/aim-auth';

/** A WebSocket client with the upgrade request it connected with (kept by EventsGateway). */
export interface HandshakeSocket {
  handshake?: AimGuardRequest;
}

/**
 * The package's guard (user or service tokens), with its request hook taught about WebSockets:
 * on a gateway message, the token is the one of the connection's handshake.
 */
@Injectable()
export class ConsumerAuthGuard extends AimAuthGuard {
  override getRequest(context: ExecutionContext): AimGuardRequest {
    if (context.getType() === 'ws') {
      return context.switchToWs().getClient<HandshakeSocket>().handshake ?? { headers: {} };
    }
    return super.getRequest(context);
  }
}
