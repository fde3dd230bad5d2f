import type { DbContext, MesPrincipal } from '@mes-web-api/common';
import { InputOf, ObjectInput, Shape } from '../schema/input';
import type { Model } from '../schema/model';

export type HttpVerb = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One call of an MES method as its handler sees it: who acts, the common parameters, and the
 * database (committed data and short writes, or the MES transaction named by `trans_id`).
 */
export interface MesCall extends DbContext {
  readonly principal: MesPrincipal;
  /** The MES user the call runs as (`principal.userId`): stamped on every write. */
  readonly userId: string;
  /** `max_rows` (1-100000); undefined: every row. */
  readonly maxRows?: number;
  /** The IANA zone of `tz_id`; undefined: UTC only. */
  readonly timeZone?: string;
}

/** What a method answers. */
export type MesResult =
  /** One record: 200 with the model (the handler returns the row). */
  | { readonly kind: 'one'; readonly model: Model }
  /** Records: 200 with an array of the model, 204 when there are none. */
  | { readonly kind: 'list'; readonly model: Model }
  /** Nothing: 204. */
  | { readonly kind: 'none' }
  /** One record or records, as the handler answers (an array is a list: 204 when empty). */
  | { readonly kind: 'oneOrList'; readonly model: Model };

export const one = (model: Model): MesResult => ({ kind: 'one', model });
export const oneOrList = (model: Model): MesResult => ({ kind: 'oneOrList', model });
export const list = (model: Model): MesResult => ({ kind: 'list', model });
export const none = (): MesResult => ({ kind: 'none' });

/** A privilege a method requires (`priv.priv_id`) and how messages name it. */
export interface MesPrivilegeRequirement {
  readonly id: number;
  /** e.g. "edit master data": `"mes\\operator" does not have the privilege to edit master data`. */
  readonly name: string;
}

/** The parsed input of a call. */
export interface MesInput<Q extends Shape, B extends Shape, P extends Shape> {
  readonly query: InputOf<Q>;
  readonly body: InputOf<B>;
  readonly params: InputOf<P>;
}

/** The definition of an MES method: everything the routes, MiddlewareAccess and Swagger need. */
export interface MesMethodDefinition<
  Svc = unknown,
  Q extends Shape = Shape,
  B extends Shape = Shape,
  P extends Shape = Shape,
> {
  /** `FactMES.API.<Area>.<Object>.<Command>`: the operationId in the Swagger file. */
  readonly name: string;
  readonly verb: HttpVerb;
  /** The route under the global prefix, e.g. `api/v3/entity/key`, `api/v3/systemAttribute/:attrId`. */
  readonly path: string;
  /** The Swagger tag (the resource, e.g. `Entity`). */
  readonly tag: string;
  readonly summary: string;
  readonly description?: string;
  /** Query parameters (camelCase). */
  readonly query?: Q;
  /** Path parameters (`:attrId`); through MiddlewareAccess they come in the query string. */
  readonly params?: P;
  /** The JSON body model (snake_case members). */
  readonly body?: B;
  /** The body model's name in the Swagger file (default `<Object><Command>Body`). */
  readonly bodyName?: string;
  readonly result: MesResult;
  /** Checked before the handler runs: 403 PRIVILEGE_MISSING without it. */
  readonly privilege?: MesPrivilegeRequirement;
  /** GET reads `max_rows`/`tz_id`; writes returning a record read `tz_id`. Documented per method. */
  readonly reads?: boolean;
  handle(svc: Svc, call: MesCall, input: MesInput<Q, B, P>): unknown;
}

/** Any method definition (the registry's element type). */
export type AnyMesMethodDefinition<Svc = unknown> = MesMethodDefinition<Svc, Shape, Shape, Shape>;

/**
 * `defineMethods<MesServices>()` gives a `method(…)` helper whose handlers see the app's services
 * typed, with the input types inferred from the query, body and path shapes.
 */
export function defineMethods<Svc>() {
  return <
    Q extends Shape = Record<string, never>,
    B extends Shape = Record<string, never>,
    P extends Shape = Record<string, never>,
  >(
    definition: MesMethodDefinition<Svc, Q, B, P>,
  ): MesMethodDefinition<Svc, Q, B, P> => definition;
}

const NAME =
  /^FactMES\.API\.([A-Za-z][A-Za-z0-9]*)\.([A-Za-z][A-Za-z0-9]*)\.([A-Za-z][A-Za-z0-9]*)$/;

/** A method ready to run: its inputs compiled, its MiddlewareAccess names known. */
export class CompiledMesMethod {
  readonly query: ObjectInput<Shape>;
  readonly body?: ObjectInput<Shape>;
  readonly params: ObjectInput<Shape>;
  /** The MES object of the name (`Ent` of `FactMES.API.Core.Ent.GetAll`). */
  readonly object: string;
  readonly command: string;
  /** `Ent.GetAll`: the MiddlewareAccess spelling. */
  readonly objectCommand: string;

  constructor(readonly definition: AnyMesMethodDefinition) {
    const match = NAME.exec(definition.name);
    if (!match) {
      throw new Error(
        `MES method ${JSON.stringify(definition.name)}: the name must look like FactMES.API.<Area>.<Object>.<Command>.`,
      );
    }
    this.object = match[2];
    this.command = match[3];
    this.objectCommand = `${this.object}.${this.command}`;
    this.query = new ObjectInput(definition.query ?? {}, 'query');
    this.params = new ObjectInput(definition.params ?? {}, 'path');
    this.body =
      definition.body === undefined ? undefined : new ObjectInput(definition.body, 'body');
    const pathParams = [...definition.path.matchAll(/:([A-Za-z]\w*)/g)].map((m) => m[1]);
    const declared = Object.keys(definition.params ?? {});
    if (pathParams.join(',') !== declared.join(',')) {
      throw new Error(
        `MES method ${definition.name}: the path parameters (${pathParams.join(', ')}) and params (${declared.join(', ')}) differ.`,
      );
    }
    for (const name of declared) {
      if (this.query.has(name)) {
        throw new Error(
          `MES method ${definition.name}: ${name} is both a path and a query parameter.`,
        );
      }
    }
  }

  get name(): string {
    return this.definition.name;
  }

  /** The model name of the body in the Swagger file. */
  get bodyName(): string {
    return this.definition.bodyName ?? `${this.object}${this.command}Body`;
  }
}
