// Module resolve hook (test only): every import of pipeline/bus/index.ts, except bus.ts's own,
// gets bus.ts instead, whose createBus namespaces the Kafka bus. Product code is unchanged.
const WRAPPER = new URL('./bus.ts', import.meta.url).href;
const BUS_INDEX = new URL('../../bus/index.ts', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  if (resolved.url === BUS_INDEX && context.parentURL !== WRAPPER) return { ...resolved, url: WRAPPER };
  return resolved;
}
