"""
Dev-only: writes fixtures/tf_checkpoint/ with real TensorFlow (2.x, tf.compat.v1 Saver), so the
pure-Python checkpoint reader is tested against files TensorFlow itself wrote. Not needed to
use or test the plugin; run it in a separate venv that has TensorFlow:

    python -m venv /tmp/tfvenv && /tmp/tfvenv/bin/pip install tensorflow-cpu numpy
    /tmp/tfvenv/bin/python scripts/make_tf_checkpoint_fixture.py fixtures/tf_checkpoint

Variables carry bilm-tf's training-graph names (tiny shapes) plus an Adagrad slot and the global
step, as in the released BioELMo checkpoint. `expected.npz` holds the values TensorFlow read back.
"""

import os
import sys

import numpy
import tensorflow as tf

CHAR_DIM, FILTERS, HIGHWAY, CELL, PROJ, VOCAB = 4, [[1, 4], [2, 8]], 1, 24, 16, 10


def variable_shapes():
    shapes = {"lm/char_embed": (261, CHAR_DIM)}
    for i, (width, num) in enumerate(FILTERS):
        shapes[f"lm/CNN/W_cnn_{i}"] = (1, width, CHAR_DIM, num)
        shapes[f"lm/CNN/b_cnn_{i}"] = (num,)
    n_filters = sum(num for _, num in FILTERS)
    for k in range(HIGHWAY):
        for name in ("carry", "transform"):
            shapes[f"lm/CNN_high_{k}/W_{name}"] = (n_filters, n_filters)
            shapes[f"lm/CNN_high_{k}/b_{name}"] = (n_filters,)
    shapes["lm/CNN_proj/W_proj"] = (n_filters, PROJ)
    shapes["lm/CNN_proj/b_proj"] = (PROJ,)
    for direction in (0, 1):
        for layer in (0, 1):
            prefix = f"lm/RNN_{direction}/rnn/multi_rnn_cell/cell_{layer}/lstm_cell"
            shapes[f"{prefix}/kernel"] = (PROJ + PROJ, 4 * CELL)
            shapes[f"{prefix}/bias"] = (4 * CELL,)
            shapes[f"{prefix}/projection/kernel"] = (CELL, PROJ)
    shapes["lm/softmax/W"] = (VOCAB, PROJ)
    shapes["lm/softmax/b"] = (VOCAB,)
    return shapes


def main(directory: str) -> None:
    os.makedirs(directory, exist_ok=True)
    tf.compat.v1.disable_eager_execution()
    rng = numpy.random.default_rng(0)
    graph = tf.Graph()
    with graph.as_default():
        variables = {
            name: tf.compat.v1.get_variable(
                name, initializer=rng.normal(0, 0.5, shape).astype(numpy.float32)
            )
            for name, shape in variable_shapes().items()
        }
        # an optimizer slot and the step counter, as in bilm-tf's checkpoints (the converter skips
        # them)
        tf.compat.v1.get_variable(
            "lm/softmax/W/Adagrad", initializer=numpy.full((VOCAB, PROJ), 0.1, numpy.float32)
        )
        tf.compat.v1.get_variable("global_step", initializer=numpy.int64(1234))
        saver = tf.compat.v1.train.Saver()
        with tf.compat.v1.Session() as session:
            session.run(tf.compat.v1.global_variables_initializer())
            prefix = saver.save(session, os.path.join(directory, "model.ckpt"), global_step=1234)
    reader = tf.train.load_checkpoint(prefix)
    numpy.savez(
        os.path.join(directory, "expected.npz"),
        **{
            name.replace("/", "|"): reader.get_tensor(name)
            for name in reader.get_variable_to_shape_map()
        },
    )
    print(prefix, len(variables) + 2, "variables")


if __name__ == "__main__":
    main(sys.argv[1])
