// Real MNIST, sliced small so loop tests spend their time training rather than evaluating.
import { loadMnist, type MnistDataset } from '../../trainer/mnist';

function head(split: MnistDataset['train'], count: number): MnistDataset['train'] {
  return { images: split.images.slice(0, count * 784), labels: split.labels.slice(0, count), count };
}

export async function smallMnist(train = 2000, validation = 300, test = 300): Promise<MnistDataset> {
  const full = await loadMnist();
  return { ...full, train: head(full.train, train), validation: head(full.validation, validation), test: head(full.test, test) };
}
