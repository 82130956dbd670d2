// `trustrules explain`: one scenario decided and explained for a person.
import type { Command } from 'commander';
import { ContractError } from '../../app/errors.js';
import type { Engine } from '../../engine/engine.js';
import type { Lang } from '../../app/presentation/catalog.js';
import { decideScenario, wordsFor } from '../../app/presentation/decisions.js';
import { explainText } from '../../app/presentation/explain.js';
import { engineFor } from '../../app/pool.js';
import { example, parseJson, print, readInput, setup } from '../context.js';

/** The explanation of one scenario (JSON text); a bad scenario is a ContractError. */
function explainOne(engine: Engine, text: string, lang: Lang = 'en'): string {
  const { value, error } = parseJson(text);
  if (error) throw new ContractError('bad_input', error);
  const scenario = engine.codec.parse(value);
  return explainText(decideScenario(engine, scenario, lang), engine.codec.toJson(scenario), wordsFor(engine.corpus, lang));
}

/** Registers `explain`. */
export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description('decide one scenario and explain it for a person: outcome, instruction, quoted clauses, what would change it')
    .argument('[file]', 'scenario file, or - for standard input', '-')
    .addHelpText('after', example(
      'trustrules explain docs/seeds/baltimore-county-2017-detainer-hold.json',
      `echo '{"date":"2019-06-01","actor":{"jurisdiction":"us/md/baltimore-county","agency":"corrections"},"request":"detain_past_release","basis":"ice_detainer"}' | trustrules explain -`,
    ))
    .action((file: string, _opts: unknown, cmd: Command) => {
      const { options, pool, whatIf } = setup(cmd);
      print(explainOne(engineFor(pool, whatIf), readInput(file), options.lang));
    });
}
