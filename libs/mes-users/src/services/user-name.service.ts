import { Injectable } from '@nestjs/common';
import { DbContext, MesDb } from '@mes-web-api/common';
import { userById, UserNameRow, usersList } from '../queries/mes-users.sql';

/** Longest possible `user_name.user_id`. */
const USER_ID_MAX_LENGTH = 40;

/** Reads MES user records (UserName.GetAll / GetByKey), never any credential. */
@Injectable()
export class UserNameService {
  constructor(private readonly db: MesDb) {}

  list(maxRows?: number, context: DbContext = this.db.auto): Promise<readonly UserNameRow[]> {
    return Promise.resolve(context.db.all(usersList, { maxRows }));
  }

  async get(userId: string, context: DbContext = this.db.auto): Promise<UserNameRow | undefined> {
    if (userId.length === 0 || userId.length > USER_ID_MAX_LENGTH) return undefined;
    return context.db.get(userById, { userId });
  }
}
