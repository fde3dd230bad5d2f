import type { IncomingMessage } from 'node:http';
import { UseGuards } from '@nestjs/common';
import {
  ConnectedSocket,
  OnGatewayConnection,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import type { WebSocket } from 'ws';
import { AimGuardRequest } from '@mes-web-api/aim-auth';
import { HTTP_STATUS_BY_CODE, MesError, MesPrincipal } from '@mes-web-api/common';
import { ConsumerAuthGuard, HandshakeSocket } from './consumer-auth.guard';

type EventsSocket = WebSocket & HandshakeSocket;

/**
 * Authenticates at the handshake: a connection without a valid token is closed with 4401 (or
 * 4403 for a valid token that may not use the app) and the problem code as the reason. Messages
 * go through the same guard, reading the handshake's token (ConsumerAuthGuard.getRequest).
 */
@WebSocketGateway({ path: '/events' })
@UseGuards(ConsumerAuthGuard)
export class EventsGateway implements OnGatewayConnection {
  constructor(private readonly guard: ConsumerAuthGuard) {}

  async handleConnection(client: EventsSocket, request: IncomingMessage): Promise<void> {
    const handshake: AimGuardRequest = request;
    client.handshake = handshake;
    try {
      await this.guard.authenticateRequest(handshake);
    } catch (error) {
      const status = error instanceof MesError ? HTTP_STATUS_BY_CODE[error.code] : 500;
      const reason = error instanceof MesError ? error.code : 'INTERNAL_ERROR';
      client.close(status === 403 ? 4403 : status === 401 ? 4401 : 1011, reason);
    }
  }

  @SubscribeMessage('whoami')
  whoami(@ConnectedSocket() client: EventsSocket): {
    event: string;
    data: MesPrincipal | undefined;
  } {
    return { event: 'whoami', data: client.handshake?.mesUser };
  }
}
