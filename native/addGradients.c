// tf_gradients: a Node addon that lets TensorFlow write a graph's backward pass. It imports a
// forward GraphDef into a TF_Graph, calls TF_AddGradientsWithPrefix (c_api.h: symbolic gradients
// from TensorFlow's C++ gradient registry, the ones the seed's TF1 program got from
// tf.train.AdamOptimizer.minimize) and returns the extended GraphDef with the gradients' names.
// tfjs-node's binding does not expose these functions; this addon links the same libtensorflow.
//
// addGradients(graphDef: Uint8Array, prefix: string, y: string, xs: string[])
//   → { graphDef: Uint8Array, gradients: string[] }   (gradients[i] = "node:index" of d y / d xs[i])
// Tensor names are "node" (output 0) or "node:index". Every failure is a thrown Error carrying
// TensorFlow's message.
#include <node_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tensorflow/c/c_api.h>

#define NAME_LIMIT 1024

static napi_value throw_error(napi_env env, const char* message) {
  napi_throw_error(env, NULL, message);
  return NULL;
}

// "addGradients: TensorFlow could not <doing>: <TensorFlow's message>".
static void throw_status(napi_env env, const char* doing, TF_Status* status) {
  char message[4096];
  snprintf(message, sizeof message, "addGradients: TensorFlow could not %s: %s", doing, TF_Message(status));
  napi_throw_error(env, NULL, message);
}

#define CHECK_NAPI(call)                                                   \
  do {                                                                     \
    if ((call) != napi_ok) return throw_error(env, "addGradients: " #call " failed"); \
  } while (0)

// A JS string argument into buf (NUL-terminated); 0 on success, else an Error is pending.
static int read_string(napi_env env, napi_value value, char* buf, size_t size, const char* what) {
  size_t length = 0;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &length) != napi_ok) {
    char message[256];
    snprintf(message, sizeof message, "addGradients: %s must be a string", what);
    napi_throw_type_error(env, NULL, message);
    return -1;
  }
  if (length + 1 > size) {
    char message[256];
    snprintf(message, sizeof message, "addGradients: %s is longer than %d bytes", what, NAME_LIMIT - 1);
    napi_throw_error(env, NULL, message);
    return -1;
  }
  napi_get_value_string_utf8(env, value, buf, size, &length);
  return 0;
}

// "node" or "node:index" to a TF_Output of the graph; 0 on success, else an Error is pending.
static int find_output(napi_env env, TF_Graph* graph, const char* name, TF_Output* out) {
  char node[NAME_LIMIT];
  char message[NAME_LIMIT + 128];
  long index = 0;
  strncpy(node, name, sizeof node - 1);
  node[sizeof node - 1] = '\0';
  char* colon = strrchr(node, ':');
  if (colon != NULL) {
    char* end = NULL;
    index = strtol(colon + 1, &end, 10);
    if (end == colon + 1 || *end != '\0' || index < 0) {
      snprintf(message, sizeof message, "addGradients: \"%s\" is not a tensor name (node or node:index)", name);
      napi_throw_error(env, NULL, message);
      return -1;
    }
    *colon = '\0';
  }
  TF_Operation* op = TF_GraphOperationByName(graph, node);
  if (op == NULL) {
    snprintf(message, sizeof message, "addGradients: the graph has no node \"%s\"", node);
    napi_throw_error(env, NULL, message);
    return -1;
  }
  if (index >= TF_OperationNumOutputs(op)) {
    snprintf(message, sizeof message, "addGradients: node \"%s\" has %d outputs, not %ld", node, TF_OperationNumOutputs(op), index + 1);
    napi_throw_error(env, NULL, message);
    return -1;
  }
  out->oper = op;
  out->index = (int)index;
  return 0;
}

static napi_value add_gradients(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  CHECK_NAPI(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc != 4) return throw_error(env, "addGradients(graphDef, prefix, y, xs) takes 4 arguments");

  bool is_typed_array = false;
  napi_is_typedarray(env, argv[0], &is_typed_array);
  if (!is_typed_array) {
    napi_throw_type_error(env, NULL, "addGradients: graphDef must be a Uint8Array");
    return NULL;
  }
  napi_typedarray_type type;
  size_t length = 0;
  void* data = NULL;
  CHECK_NAPI(napi_get_typedarray_info(env, argv[0], &type, &length, &data, NULL, NULL));
  if (type != napi_uint8_array) {
    napi_throw_type_error(env, NULL, "addGradients: graphDef must be a Uint8Array");
    return NULL;
  }

  char prefix[NAME_LIMIT];
  char y_name[NAME_LIMIT];
  if (read_string(env, argv[1], prefix, sizeof prefix, "prefix") != 0) return NULL;
  if (read_string(env, argv[2], y_name, sizeof y_name, "y") != 0) return NULL;
  bool is_array = false;
  napi_is_array(env, argv[3], &is_array);
  if (!is_array) {
    napi_throw_type_error(env, NULL, "addGradients: xs must be an array of tensor names");
    return NULL;
  }
  uint32_t nx = 0;
  CHECK_NAPI(napi_get_array_length(env, argv[3], &nx));
  if (nx == 0) return throw_error(env, "addGradients: xs is empty");

  TF_Graph* graph = TF_NewGraph();
  TF_Status* status = TF_NewStatus();
  TF_Output* x = calloc(nx, sizeof(TF_Output));
  TF_Output* dx = calloc(nx, sizeof(TF_Output));
  napi_value result = NULL;
  if (x == NULL || dx == NULL) {
    throw_error(env, "addGradients: out of memory");
    goto done;
  }

  TF_Buffer* buffer = TF_NewBufferFromString(data, length);
  TF_ImportGraphDefOptions* options = TF_NewImportGraphDefOptions();
  TF_GraphImportGraphDef(graph, buffer, options, status);
  TF_DeleteImportGraphDefOptions(options);
  TF_DeleteBuffer(buffer);
  if (TF_GetCode(status) != TF_OK) {
    throw_status(env, "import the GraphDef", status);
    goto done;
  }

  TF_Output y;
  if (find_output(env, graph, y_name, &y) != 0) goto done;
  for (uint32_t i = 0; i < nx; i++) {
    napi_value element;
    char name[NAME_LIMIT];
    if (napi_get_element(env, argv[3], i, &element) != napi_ok) goto done;
    if (read_string(env, element, name, sizeof name, "each of xs") != 0) goto done;
    if (find_output(env, graph, name, &x[i]) != 0) goto done;
  }

  TF_AddGradientsWithPrefix(graph, prefix[0] == '\0' ? NULL : prefix, &y, 1, x, (int)nx, NULL, status, dx);
  if (TF_GetCode(status) != TF_OK) {
    throw_status(env, "add the gradients", status);
    goto done;
  }

  napi_value names;
  if (napi_create_array_with_length(env, nx, &names) != napi_ok) goto done;
  for (uint32_t i = 0; i < nx; i++) {
    // TensorFlow refuses an x that y does not depend on (above); a null operation is checked anyway.
    if (dx[i].oper == NULL) {
      char message[NAME_LIMIT + 128];
      snprintf(message, sizeof message, "addGradients: %s does not depend on xs[%u]", y_name, i);
      throw_error(env, message);
      goto done;
    }
    char name[NAME_LIMIT + 16];
    snprintf(name, sizeof name, "%s:%d", TF_OperationName(dx[i].oper), dx[i].index);
    napi_value value;
    if (napi_create_string_utf8(env, name, NAPI_AUTO_LENGTH, &value) != napi_ok) goto done;
    if (napi_set_element(env, names, i, value) != napi_ok) goto done;
  }

  TF_Buffer* out = TF_NewBuffer();
  TF_GraphToGraphDef(graph, out, status);
  if (TF_GetCode(status) != TF_OK) {
    TF_DeleteBuffer(out);
    throw_status(env, "write the GraphDef", status);
    goto done;
  }
  napi_value bytes;
  void* copy = NULL;
  napi_value array_buffer;
  if (napi_create_arraybuffer(env, out->length, &copy, &array_buffer) != napi_ok) {
    TF_DeleteBuffer(out);
    goto done;
  }
  memcpy(copy, out->data, out->length);
  size_t out_length = out->length;
  TF_DeleteBuffer(out);
  if (napi_create_typedarray(env, napi_uint8_array, out_length, array_buffer, 0, &bytes) != napi_ok) goto done;

  napi_value object;
  if (napi_create_object(env, &object) != napi_ok) goto done;
  napi_set_named_property(env, object, "graphDef", bytes);
  napi_set_named_property(env, object, "gradients", names);
  result = object;

done:
  free(x);
  free(dx);
  TF_DeleteStatus(status);
  TF_DeleteGraph(graph);
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_value fn;
  if (napi_create_function(env, "addGradients", NAPI_AUTO_LENGTH, add_gradients, NULL, &fn) != napi_ok) return NULL;
  if (napi_set_named_property(env, exports, "addGradients", fn) != napi_ok) return NULL;
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
