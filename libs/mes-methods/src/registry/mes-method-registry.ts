import { AnyMesMethodDefinition, CompiledMesMethod } from './mes-method';

/**
 * Every MES method the API implements, known once: the V3/V1 routes, MiddlewareAccess and the
 * Swagger file are all derived from this list, so a method added here is reachable everywhere.
 */
export class MesMethodRegistry {
  private readonly byName = new Map<string, CompiledMesMethod>();
  private readonly byObjectCommand = new Map<string, CompiledMesMethod>();
  readonly methods: readonly CompiledMesMethod[];

  constructor(definitions: ReadonlyArray<AnyMesMethodDefinition<never>>) {
    const methods: CompiledMesMethod[] = [];
    const routes = new Map<string, string>();
    for (const definition of definitions) {
      const method = new CompiledMesMethod(definition);
      const name = method.name.toLowerCase();
      if (this.byName.has(name)) throw new Error(`MES method ${method.name} is defined twice.`);
      const command = method.objectCommand.toLowerCase();
      const clash = this.byObjectCommand.get(command);
      if (clash) {
        throw new Error(
          `MES methods ${clash.name} and ${method.name} are both ${method.objectCommand} in MiddlewareAccess.`,
        );
      }
      const route = `${definition.verb} ${definition.path.toLowerCase()}`;
      const taken = routes.get(route);
      if (taken)
        throw new Error(`MES methods ${taken} and ${method.name} share the route ${route}.`);
      routes.set(route, method.name);
      this.byName.set(name, method);
      this.byObjectCommand.set(command, method);
      methods.push(method);
    }
    this.methods = methods;
  }

  /** A method by its full MES name, any letter case. */
  byMesName(name: string): CompiledMesMethod | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** A method by `object.command` (MiddlewareAccess), any letter case: `ent.getall`. */
  find(object: string, command: string): CompiledMesMethod | undefined {
    return this.byObjectCommand.get(`${object}.${command}`.toLowerCase());
  }

  /** Whether any method belongs to this MES object (for a 404 that says which part is unknown). */
  hasObject(object: string): boolean {
    const wanted = object.toLowerCase();
    return this.methods.some((m) => m.object.toLowerCase() === wanted);
  }
}
