// What a training run's checkpoint holds (every parameter with its two Adam moments) and how a
// run continues from one: found in the store, checked tensor by tensor against the model, loaded
// into the step engine, with the warnings a user should see when the continuation is not exact.
import * as tf from '@tensorflow/tfjs-core';
import type { TensorToSave } from './checkpointFormat';
import type { CheckpointStore, LoadedCheckpoint } from './checkpointStore';
import { ResumeError } from './resumeError';
import { readStoredData, type StoredTensors } from '../model/parameterStore';
import { describeExecution, type Execution, type StepEngine } from '../train/stepEngine';

/** The names a parameter's tensors are saved under: its value, then Adam's m and v. */
function savedNames(parameter: string): [value: string, m: string, v: string] {
  return [parameter, `${parameter}/adam_m`, `${parameter}/adam_v`];
}

/** The checkpoint a resumed run continues from (the latest good one), or why there is none. */
export function checkpointToResume(store: CheckpointStore | undefined): LoadedCheckpoint {
  if (!store) throw new ResumeError('Cannot resume: no checkpoint folder was given.');
  store.cleanTemporaries();
  const checkpoint = store.load();
  if (!checkpoint) throw new ResumeError(`Cannot resume: there is no checkpoint in ${store.dir}.`);
  return checkpoint;
}

/** Loads the checkpoint's weights and Adam state into the engine, after checking every tensor is there with the model's shape. */
export function restoreCheckpoint(checkpoint: LoadedCheckpoint, engine: StepEngine): void {
  const { model } = engine;
  for (const spec of model.specs) {
    for (const name of savedNames(spec.name)) {
      const stored = checkpoint.tensors.get(name);
      if (!stored) throw new ResumeError(`${checkpoint.path}: has no tensor ${name}; it was made for another architecture`);
      if (stored.shape.join() !== spec.shape.join()) throw new ResumeError(`${checkpoint.path}: ${name} has shape ${stored.shape.join('×')}, the model needs ${spec.shape.join('×')}`);
    }
  }
  const assign = (store: StoredTensors, index: number, name: string) => {
    const stored = checkpoint.tensors.get(name)!;
    tf.tidy(() => store.assign(index, tf.tensor(stored.data, stored.shape)));
  };
  model.specs.forEach((spec, i) => {
    const [value, m, v] = savedNames(spec.name);
    assign(model.parameters, i, value);
    assign(engine.m, i, m);
    assign(engine.v, i, v);
  });
  engine.iteration = checkpoint.header.adamIteration;
}

/** The tensors a checkpoint of the engine's state holds, read only as they are written. */
export function checkpointTensors(engine: StepEngine): TensorToSave[] {
  return engine.model.specs.flatMap((spec, i) => {
    const [value, m, v] = savedNames(spec.name);
    return [
      { name: value, shape: spec.shape, data: () => readStoredData(engine.model.parameters, i) },
      { name: m, shape: spec.shape, data: () => readStoredData(engine.m, i) },
      { name: v, shape: spec.shape, data: () => readStoredData(engine.v, i) },
    ];
  });
}

/** What a user should know about continuing from this checkpoint: an older one was loaded, or the step engine changed. */
export function resumeWarning(checkpoint: LoadedCheckpoint, execution: Execution): string | undefined {
  const written = checkpoint.header.execution ?? 'eager';
  const engineChange = written === execution ? undefined
    : `This run's checkpoint was trained with ${describeExecution(written)} and continues with ${describeExecution(execution)}: the same maths, but from here the numbers differ from an uninterrupted run by float rounding.`;
  const warnings = [checkpoint.warning, engineChange].filter(Boolean);
  return warnings.length > 0 ? warnings.join(' ') : undefined;
}
