/** The examples in the order the picker lists them. */
import { cachedTimeExample } from "./cachedTime";
import type { Example } from "./example";
import { exitExample } from "./exit";
import { phasesExample } from "./phases";
import { privilegedAgentExample } from "./privilegedAgent";
import { sharedDictAtomicExample } from "./sharedDictAtomic";
import { variablesExample } from "./variables";

export type { Example, ExampleRequest } from "./example";

export const EXAMPLES: readonly Example[] = [
  phasesExample,
  privilegedAgentExample,
  exitExample,
  variablesExample,
  sharedDictAtomicExample,
  cachedTimeExample,
];

/** The example shown on first load. */
export const DEFAULT_EXAMPLE_ID = phasesExample.id;

/** Finds an example by id, falling back to the default one. */
export function findExample(id: string): Example {
  return (
    EXAMPLES.find((example) => example.id === id) ??
    EXAMPLES.find((example) => example.id === DEFAULT_EXAMPLE_ID)!
  );
}
