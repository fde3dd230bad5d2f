import type { IncomingMessage } from 'node:http';
import type { AimAuthGuardLike } from '@mes/aim-auth';
import type { Ent, EntService } from '@mes/mes-plant';
import type { FrontDoorAnswer } from '../../http/front-door';
import { parseMesRequestOptions } from '../../http/mes-request-options';
import { parsePlainQuery } from '../../http/plain-query';
import { COMMON_QUERY_PARAMS } from '../shared/master-data-params';
import { entIdKey } from './entity.controller';
import { EntModel } from './entity.dto';

/** The query parameters Ent.GetByKey reads. */
const NAMES = [entIdKey.name, ...COMMON_QUERY_PARAMS];

/**
 * `GET /mesmw/api/v3/entity/key` (Ent.GetByKey) below fastify, for the plain successful request:
 * a remembered bearer token of a cached, active user (or a service token with the in-memory
 * background user), a cached grant to the entity, the row read synchronously (SQLite) and found.
 * The answer is the one `EntityController.getByKey` gives: the same guard decision
 * (`principalNow`), the same `entId` pipe and `max_rows`/`tz_id` parsing, the same service read
 * and model. Every other request (a token to verify, any failure, a query it does not read
 * plainly) goes to fastify and Nest, which decide it as always.
 */
export class EntityKeyLane {
  /**
   * The answer for a kept entity without `tz_id`. Kept entities are frozen and answered while
   * the database is unchanged (`FreshReadCache`), so their answer is too; a new read is a new
   * object.
   */
  private readonly utcAnswers = new WeakMap<Readonly<Ent>, FrontDoorAnswer>();

  constructor(
    private readonly guard: AimAuthGuardLike,
    private readonly entities: EntService,
  ) {}

  readonly answer = (req: IncomingMessage, query: string): FrontDoorAnswer | undefined => {
    const params = parsePlainQuery(query, NAMES);
    if (params === undefined) return undefined;
    const caller = this.guard.principalNow(req);
    if (caller === undefined) return undefined;
    try {
      const entId = entIdKey.transform(params);
      const options = parseMesRequestOptions(req.headers, params);
      const ent = this.entities.getByKeyNow(caller.userId, entId);
      if (ent === undefined) return undefined;
      const reusable = options.timeZone === undefined && Object.isFrozen(ent);
      let answer = reusable ? this.utcAnswers.get(ent) : undefined;
      if (answer === undefined) {
        answer = { statusCode: 200, body: JSON.stringify(EntModel.from(ent, options)) };
        if (reusable) this.utcAnswers.set(ent, answer);
      }
      return answer;
    } catch {
      return undefined;
    }
  };
}
