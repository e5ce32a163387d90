// A row of digits from a gallery reply: each 28×28 image drawn on canvas with its true digit and
// the model's three likeliest digits with their probabilities.
import { galleryImages, type GalleryImage } from '../shared/errorGallery';
import type { EvaluationSplit } from '../shared/trainingReports';
import { digitCanvas } from './digitCanvas';
import { codicon, custom, h } from './dom';
import type { GalleryState } from './galleryRequests';
import { formatPercent } from './numberFormat';

/** One image, named by its split and position in it ("test image 1234"). */
function figure(image: GalleryImage, split: EvaluationSplit): HTMLElement {
  const [first, ...others] = image.top;
  const summary = `${split} image ${image.index}: true ${image.label}; ` + image.top.map((t) => `${t.digit} ${formatPercent(t.probability, 0)}`).join(', ');
  return h('figure', { class: 'gallery-image', 'data-testid': 'gallery-image', title: summary },
    digitCanvas(image.pixels, summary),
    h('figcaption', {},
      h('span', { class: 'gallery-truth' }, `true ${image.label}`),
      h('ol', { class: 'gallery-top' },
        h('li', { class: first!.digit === image.label ? 'right' : 'wrong' }, `${first!.digit} `, h('span', { class: 'muted' }, formatPercent(first!.probability, 0))),
        ...others.map((t) => h('li', {}, `${t.digit} `, h('span', { class: 'muted' }, formatPercent(t.probability, 0)))))));
}

/** The images, or why there are none; `empty` is shown when the selection holds no images. */
export function galleryContent(state: GalleryState, empty: string): HTMLElement {
  switch (state.status) {
    case 'none':
      return h('p', { class: 'muted gallery-note' }, empty);
    case 'loading':
      return h('div', { class: 'loading gallery-note' }, custom('vscode-progress-ring', {}), h('span', { class: 'muted' }, 'Fetching the images from the trainer…'));
    case 'unavailable':
      return h('p', { class: 'unavailable gallery-note', 'data-testid': 'gallery-unavailable' }, codicon('info'), h('span', {}, state.reason));
    case 'ready': {
      const images = galleryImages(state.gallery);
      if (images.length === 0) return h('p', { class: 'muted gallery-note' }, empty);
      return h('div', { class: 'gallery-images' }, ...images.map((image) => figure(image, state.gallery.query.split)));
    }
  }
}
