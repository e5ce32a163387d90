"""A real TensorFlow client of an exported model, for test/unit/exportSavedModel.test.ts.

Loads the SavedModel with tf.saved_model.load, as a user would, and runs its serving_default
signature on images given as raw float32 [N, 28, 28, 1]; writes the probabilities as raw float32
[N, 10] and prints what the signature declares as JSON on stdout.

usage: predict_savedmodel.py EXPORT_DIR IMAGES_F32 COUNT PROBABILITIES_OUT_F32
"""
import json
import sys

import numpy as np
import tensorflow as tf


def main() -> None:
    export_dir, images_path, count, out_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    model = tf.saved_model.load(export_dir)
    serve = model.signatures["serving_default"]
    images = np.fromfile(images_path, dtype="<f4").reshape(count, 28, 28, 1)
    probabilities = serve(images=tf.constant(images))["probabilities"].numpy()
    probabilities.astype("<f4").tofile(out_path)
    (input_name, input_spec), = serve.structured_input_signature[1].items()
    ((output_name, output_spec),) = serve.structured_outputs.items()
    print(json.dumps({
        "tensorflow": tf.__version__,
        "input": {"name": input_name, "dtype": input_spec.dtype.name, "shape": input_spec.shape.as_list()},
        "output": {"name": output_name, "dtype": output_spec.dtype.name, "shape": output_spec.shape.as_list()},
        "shape": list(probabilities.shape),
    }))


if __name__ == "__main__":
    main()
