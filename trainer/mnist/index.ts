/** The MNIST data layer: pure Node, no TensorFlow. */
export { loadMnist, MNIST_TEST_FILE_COUNT, MNIST_TRAIN_FILE_COUNT, MNIST_VALIDATION_COUNT } from './loadMnist';
export type { LoadMnistOptions } from './loadMnist';
export type { MnistDataset, MnistSource, MnistSplit } from './mnistTypes';
export { MnistDataError } from './mnistDataError';
export { MNIST_CLASS_COUNT, MNIST_IMAGE_SIDE, MNIST_PIXELS_PER_IMAGE } from './idxFormat';
