// Every layer kind's module. Typed over LayerKind, so a kind added to shared/architecture.ts
// without a module here fails to compile. Adding a layer type: its spec type in
// shared/architecture.ts, its arithmetic in shared/layerArithmetic.ts, one module file here and
// one line below.
import type { LayerKind, LayerSpec } from '../../shared/architecture';
import { addLayer } from './add';
import { avgPoolLayer } from './avgPool';
import { batchNormLayer } from './batchNorm';
import { conv2dLayer } from './conv2d';
import { denseLayer } from './dense';
import { dropoutLayer } from './dropout';
import { flattenLayer } from './flatten';
import { globalAvgPoolLayer } from './globalAvgPool';
import type { LayerModule } from './layerModule';
import { maxPoolLayer } from './maxPool';

const LAYERS: { [K in LayerKind]: LayerModule<K> } = {
  conv2d: conv2dLayer,
  maxPool: maxPoolLayer,
  avgPool: avgPoolLayer,
  globalAvgPool: globalAvgPoolLayer,
  batchNorm: batchNormLayer,
  flatten: flattenLayer,
  dense: denseLayer,
  dropout: dropoutLayer,
  add: addLayer,
};

/** The module of `layer`'s kind. */
export function layerModule(layer: LayerSpec): LayerModule<LayerKind> {
  const module = LAYERS[layer.op] as LayerModule<LayerKind> | undefined;
  if (!module) throw new Error(`${layer.name}: unknown layer type ${JSON.stringify(layer.op)}`);
  return module;
}
