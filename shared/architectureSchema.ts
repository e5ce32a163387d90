// The JSON Schema of the architecture file, built from the same field rules the checks use
// (layerKinds.ts), so the editor's completion, hovers and basic validation never drift from what
// the trainer accepts. Written to schemas/resnet-architecture.schema.json (package.json's
// jsonValidation); a unit test holds that file to this function.
import { MNIST_CLASSES, MNIST_INPUT_SHAPE } from './architectureCheck';
import { LAYER_OPS, layerSchema, type JsonSchema } from './layerKinds';

const BLOCK_KINDS: Record<string, string> = {
  input: 'The image itself: no layers.',
  conv: 'A convolution block.',
  pool: 'A pooling block.',
  residual: 'Layers on a main path ending with an "add", plus a shortcut (identity or a projection convolution).',
  flatten: 'The reshape from maps to vectors.',
  dense: 'A fully connected layer.',
  dropout: 'Dropout while training.',
};

export function architectureJsonSchema(): JsonSchema {
  const layers = LAYER_OPS.map((op) => layerSchema(op));
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'ResNet Lab architecture',
    description: 'A network ResNet Lab trains on MNIST: blocks of layers from the 28×28×1 image to 10 logits.',
    type: 'object',
    properties: {
      name: { type: 'string', maxLength: 256, description: 'The network\'s name, shown in the panel and the CLI.' },
      inputShape: { type: 'array', items: { type: 'integer' }, const: [...MNIST_INPUT_SHAPE], description: 'Height, width, channels of one image: MNIST\'s [28, 28, 1].' },
      classes: { const: MNIST_CLASSES, description: 'Logits the network ends with: MNIST\'s 10 digits.' },
      blocks: {
        type: 'array',
        maxItems: 1000,
        description: 'Blocks in order from the image to the logits; each is a box of the block diagram.',
        items: {
          type: 'object',
          properties: {
            id: { type: 'string', minLength: 1, maxLength: 256, description: 'Unique block id (e.g. "res2b"), used by the diagram and the inspector.' },
            kind: { enum: Object.keys(BLOCK_KINDS), enumDescriptions: Object.values(BLOCK_KINDS), description: 'What the block is; a "residual" block has a shortcut and ends with an "add" layer.' },
            title: { type: 'string', maxLength: 256, description: 'The block\'s label in the diagram.' },
            layers: { type: 'array', maxItems: 1000, items: { oneOf: layers, defaultSnippets: LAYER_OPS.map((op, i) => ({ label: op, body: snippetOf(layers[i]!) })) }, description: 'The block\'s layers in order.' },
            shortcut: {
              description: 'A residual block\'s second branch: the input unchanged (identity) or through a 1×1 convolution (projection) when the shapes differ.',
              oneOf: [
                { type: 'object', properties: { kind: { const: 'identity' } }, required: ['kind'], additionalProperties: false },
                { type: 'object', properties: { kind: { const: 'projection' }, layer: layerSchema('conv2d') }, required: ['kind', 'layer'], additionalProperties: false },
              ],
            },
          },
          required: ['id', 'kind', 'title', 'layers'],
          additionalProperties: false,
        },
      },
    },
    required: ['name', 'inputShape', 'classes', 'blocks'],
    additionalProperties: false,
  };
}

/** A completion snippet for a layer: its op and every field with a placeholder. */
function snippetOf(schema: JsonSchema): Record<string, unknown> {
  const properties = schema.properties as Record<string, JsonSchema>;
  return Object.fromEntries(Object.entries(properties).map(([key, field]) => {
    if ('const' in field) return [key, field.const];
    if (Array.isArray(field.enum)) return [key, `\${1|${field.enum.join(',')}|}`];
    if (field.type === 'boolean') return [key, true];
    if (field.type === 'string') return [key, `\${1:${key}}`];
    return [key, field.type === 'integer' ? 1 : 0.5];
  }));
}

/** The schema file's text as committed. */
export function architectureSchemaText(): string {
  return `${JSON.stringify(architectureJsonSchema(), null, 2)}\n`;
}
