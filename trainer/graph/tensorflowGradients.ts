// Gradients written by TensorFlow itself: the forward graph goes to our native addon
// (native/addGradients.c), which imports it into a TF_Graph, calls TF_AddGradientsWithPrefix
// (TensorFlow's C++ gradient registry, the gradients the seed's TF1 program gets from
// tf.train.AdamOptimizer) and hands back the extended graph and the gradients' names.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nativeBackend } from '../model/nativeBackend';
import { GraphBuilder, type Output } from './graphBuilder';

interface GradientsAddon {
  addGradients(graphDef: Uint8Array, prefix: string, y: string, xs: readonly string[]): { graphDef: Uint8Array; gradients: string[] };
}

/** Where `npm run setup` (scripts/build-gradients-addon.mjs) leaves the addon, below the project folder. */
const ADDON = path.join('native', 'build', 'Release', 'tf_gradients.node');

let loaded: GradientsAddon | undefined;

/** The addon file: the project folder is an ancestor of this module (out/trainer/graph/ when compiled, dist/ when bundled). */
export function gradientsAddonPath(from = __dirname): string {
  for (let dir = from, up = 0; up < 6; dir = path.dirname(dir), up++) {
    const file = path.join(dir, ADDON);
    if (fs.existsSync(file)) return file;
  }
  throw new Error(`the TensorFlow gradients addon (${ADDON}) is not built; run \`npm run setup\` (or just \`node scripts/build-gradients-addon.mjs\`)`);
}

/** Loads the addon once, after tfjs-node, so it shares the libtensorflow already in the process. */
export function gradientsAddon(): GradientsAddon {
  if (!loaded) {
    nativeBackend();
    const module = { exports: {} as GradientsAddon };
    process.dlopen(module, gradientsAddonPath());
    loaded = module.exports;
  }
  return loaded;
}

/**
 * d y / d xs[i] for each i, as TensorFlow's own gradient ops added under `prefix`: returns the
 * graph with them (a new builder; `graph` is left as it was) and each gradient's output name.
 * Throws TensorFlow's message if it cannot (an unknown name, an op with no registered gradient).
 */
export function addTensorFlowGradients(graph: GraphBuilder, y: Output, xs: readonly Output[], prefix: string): { graph: GraphBuilder; gradients: Output[] } {
  const result = gradientsAddon().addGradients(graph.toGraphDef(), prefix, y, xs);
  return { graph: new GraphBuilder(result.graphDef), gradients: result.gradients };
}
