// The recipe the Python peers (bench/peers/) train with, taken from the one definition of the
// presets (shared/trainingConfig.ts), so a changed preset reaches ours and the peers alike.
// bench/run.ts passes a workload's whole config as `--recipe JSON`; a peer started by hand with
// `--preset NAME` reads the preset by running this file: `node out/bench/peerRecipe.js NAME`.
import { PRESET_NAMES, PRESETS, type PresetName, type TrainingConfig } from '../shared/trainingConfig';

/** The peers' arguments that carry a run's whole config (bench/peers/peer_common.py reads them). */
export function peerRecipeArgs(config: TrainingConfig): string[] {
  return ['--recipe', JSON.stringify(config)];
}

if (require.main === module) {
  const name = process.argv[2] ?? 'default';
  if (!PRESET_NAMES.includes(name as PresetName)) {
    process.stderr.write(`unknown preset "${name}": one of ${PRESET_NAMES.join(', ')}\n`);
    process.exit(2);
  }
  process.stdout.write(`${JSON.stringify(PRESETS[name as PresetName])}\n`);
}
