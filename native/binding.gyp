# The tf_gradients addon (addGradients.c), compiled by scripts/build-gradients-addon.mjs against the
# libtensorflow that set-up staged for tfjs-node, and loaded by trainer/graph/tensorflowGradients.ts.
{
  'variables': {
    'tensorflow_deps%': '<(module_root_dir)/../node_modules/@tensorflow/tfjs-node/deps',
  },
  'targets': [{
    'target_name': 'tf_gradients',
    'sources': ['addGradients.c'],
    'include_dirs': ['<(tensorflow_deps)/include'],
    'cflags': ['-Wall', '-Wextra', '-Wno-unused-parameter'],
    'libraries': [
      # The trainer loads tfjs-node first, so the libtensorflow already in the process (by soname)
      # is the one used; the rpath finds tfjs-node's copy when loaded alone.
      '-Wl,-rpath,\$$ORIGIN/../../../node_modules/@tensorflow/tfjs-node/deps/lib',
      '-L<(tensorflow_deps)/lib',
      '-ltensorflow',
      '-ltensorflow_framework',
    ],
  }],
}
