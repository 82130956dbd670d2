// `trustrules schema`: the JSON Schemas of a scenario and of the policy files.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { policyJsonSchemas } from '../../policy/schema.js';
import { scenarioCodec } from '../../vocabulary/scenario.js';
import { packageRoot, vocabulary } from '../../vocabulary/vocabulary.js';
import { corpusFor, example, globalOptions, print } from '../context.js';

/** Registers `schema`. */
export function registerSchema(program: Command): void {
  program
    .command('schema')
    .description('print or write the JSON Schemas: scenario, jurisdiction, instrument, policy test')
    .option('--write [dir]', 'write them to this folder (default schema/)')
    .addHelpText('after', example('trustrules schema --write', "trustrules schema | jq '.\"scenario.schema.json\".properties.request'"))
    .action((opts: { write?: string | boolean }, cmd: Command) => {
      const corpus = corpusFor(globalOptions(cmd));
      const schemas = {
        'scenario.schema.json': scenarioCodec(vocabulary(), [...corpus.jurisdictions.keys()].sort()).jsonSchema(),
        ...policyJsonSchemas(),
      };
      if (!opts.write) return print(JSON.stringify(schemas, null, 2));
      const dir = typeof opts.write === 'string' ? opts.write : path.join(packageRoot, 'schema');
      mkdirSync(dir, { recursive: true });
      for (const [name, schema] of Object.entries(schemas)) writeFileSync(path.join(dir, name), `${JSON.stringify(schema, null, 2)}\n`);
      print(`wrote ${Object.keys(schemas).length} schemas to ${path.relative(process.cwd(), dir) || '.'}`);
    });
}
