import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { MesError, MesErrorCode } from '@mes/common';

type Request = {
  headers: Record<string, string | string[] | undefined>;
  query?: Record<string, unknown>;
};

/**
 * `trans_id` names an open MES transaction (SPEC.md section 2). This API does not open MES
 * transactions (`POST api/v3/transaction` is not offered), so no `trans_id` can be open: a
 * request that passes one gets the documented 404 for an unknown transaction instead of running
 * outside the transaction its caller expects. Runs after authentication (registered after the
 * auth guard), so an anonymous caller still gets 401 first.
 */
@Injectable()
export class MesTransactionGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<Request>();
    const transId =
      request.headers.trans_id ?? request.headers['trans-id'] ?? request.query?.trans_id;
    if (transId === undefined) return true;
    throw new MesError(
      MesErrorCode.TransactionNotFound,
      'The MES transaction given in trans_id does not exist or has expired: this API does not open MES transactions, so send the request without trans_id.',
    );
  }
}
