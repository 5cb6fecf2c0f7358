"""
Reading TensorFlow V2 checkpoints (`model.ckpt-N.index` + `model.ckpt-N.data-0000x-of-0000y`, as
bilm-tf saves the BioELMo checkpoint) in pure Python: no TensorFlow at run time.

Formats (TensorFlow's `tensor_bundle`):

* `.index` is a LevelDB-style sorted string table: data blocks of prefix-compressed
  `(key, value)` entries with a restart array, each block followed by a compression byte (0: none)
  and a masked CRC32C; an index block points at the data blocks; a 48-byte footer ends with the
  magic number 0xdb4775248b80fb57. The value for the empty key is a `BundleHeaderProto`
  (number of shards); every other key is a tensor name whose value is a `BundleEntryProto`
  (dtype, shape, shard, offset, size, masked CRC32C of the bytes).
* `.data-*` files hold the raw little-endian tensor bytes.
"""

import os
import struct
from typing import Dict, List, NamedTuple, Optional, Tuple

import google_crc32c
import numpy

MAGIC = 0xDB4775248B80FB57
FOOTER_SIZE = 48
_MASK_DELTA = 0xA282EAD8
# TensorFlow DataType enum -> numpy dtype (the ones checkpoints of this kind hold)
DTYPES = {
    1: numpy.float32,
    2: numpy.float64,
    3: numpy.int32,
    4: numpy.uint8,
    5: numpy.int16,
    6: numpy.int8,
    9: numpy.int64,
    10: numpy.bool_,
    17: numpy.uint16,
    19: numpy.float16,
    22: numpy.uint32,
    23: numpy.uint64,
}
DTYPE_NAMES = {
    1: "float32",
    2: "float64",
    3: "int32",
    4: "uint8",
    5: "int16",
    6: "int8",
    7: "string",
    9: "int64",
    10: "bool",
    14: "bfloat16",
    17: "uint16",
    19: "float16",
    22: "uint32",
    23: "uint64",
}


class CheckpointFormatError(ValueError):
    """A checkpoint file that is truncated, corrupt or not a TensorFlow V2 checkpoint."""


class TensorEntry(NamedTuple):
    """Where one variable lives: dtype, shape, data shard, byte offset and size, CRC32C."""

    dtype: int
    shape: Tuple[int, ...]
    shard: int
    offset: int
    size: int
    crc32c: Optional[int]


def masked_crc32c(data: bytes) -> int:
    """The masked CRC32C that TensorFlow stores for blocks and tensors."""
    crc = google_crc32c.value(data)
    return (((crc >> 15) | (crc << 17)) + _MASK_DELTA) & 0xFFFFFFFF


def _varint(data: bytes, position: int) -> Tuple[int, int]:
    result = shift = 0
    while True:
        if position >= len(data):
            raise IndexError("varint runs past the end")
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, position
        shift += 7


def _proto_fields(data: bytes) -> List[Tuple[int, object]]:
    """(field number, value) pairs of a protobuf message: ints for varint/fixed, bytes otherwise."""
    fields, position = [], 0
    while position < len(data):
        tag, position = _varint(data, position)
        number, wire_type = tag >> 3, tag & 7
        if wire_type == 0:
            value, position = _varint(data, position)
        elif wire_type == 1:
            value, position = struct.unpack_from("<Q", data, position)[0], position + 8
        elif wire_type == 2:
            length, position = _varint(data, position)
            value, position = data[position : position + length], position + length
        elif wire_type == 5:
            value, position = struct.unpack_from("<I", data, position)[0], position + 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire_type}")
        fields.append((number, value))
    return fields


def _parse_entry(value: bytes) -> TensorEntry:
    dtype, shape, shard, offset, size, crc = 0, (), 0, 0, 0, None
    for number, field in _proto_fields(value):
        if number == 1:
            dtype = field
        elif number == 2:
            shape = tuple(
                next((size_ for n, size_ in _proto_fields(dim) if n == 1), 0)
                for n, dim in _proto_fields(field)
                if n == 2
            )
        elif number == 3:
            shard = field
        elif number == 4:
            offset = field
        elif number == 5:
            size = field
        elif number == 6:
            crc = field
        elif number == 7:
            raise CheckpointFormatError("partitioned (sliced) variables are not supported")
    return TensorEntry(dtype, shape, shard, offset, size, crc)


class TfCheckpointReader:
    """
    Variables of a TensorFlow V2 checkpoint. `path` is the checkpoint prefix
    (`.../model.ckpt-1234`), its `.index` file, or a directory with a `checkpoint` file.

        reader = TfCheckpointReader("bioelmo/model.ckpt-935588")
        reader.variables()            # {"lm/char_embed": ("float32", (261, 16)), ...}
        reader.load("lm/char_embed")  # numpy array, checksum verified
    """

    def __init__(self, path: str) -> None:
        self.prefix = self._resolve_prefix(path)
        self.index_file = self.prefix + ".index"
        if not os.path.exists(self.index_file):
            raise CheckpointFormatError(f"{self.index_file}: no such checkpoint index file")
        with open(self.index_file, "rb") as handle:
            self._index_bytes = handle.read()
        entries = self._read_table()
        header = entries.pop(b"", None)
        if header is None:
            raise CheckpointFormatError(
                f"{self.index_file}: no bundle header (not a TensorFlow V2 checkpoint?)"
            )
        self.num_shards = dict(_proto_fields(header)).get(1, 1)
        try:
            self._entries = {
                key.decode("utf-8"): _parse_entry(value) for key, value in entries.items()
            }
        except (ValueError, IndexError, struct.error) as error:
            raise CheckpointFormatError(f"{self.index_file}: malformed tensor entry ({error})")

    @staticmethod
    def _resolve_prefix(path: str) -> str:
        if os.path.isdir(path):
            state = os.path.join(path, "checkpoint")
            if not os.path.exists(state):
                raise CheckpointFormatError(f"{path}: a directory without a 'checkpoint' file")
            for line in open(state, encoding="utf-8"):
                if line.startswith("model_checkpoint_path:"):
                    name = line.split(":", 1)[1].strip().strip('"')
                    return name if os.path.isabs(name) else os.path.join(path, name)
            raise CheckpointFormatError(f"{state}: no model_checkpoint_path line")
        return path[: -len(".index")] if path.endswith(".index") else path

    # ---- the sorted string table ---------------------------------------------------------------

    def _block(self, offset: int, size: int) -> bytes:
        data = self._index_bytes
        if offset + size + 5 > len(data):
            raise CheckpointFormatError(
                f"{self.index_file}: truncated (block at {offset} ends past the file)"
            )
        contents, compression = data[offset : offset + size], data[offset + size]
        (stored,) = struct.unpack_from("<I", data, offset + size + 1)
        if masked_crc32c(contents + bytes([compression])) != stored:
            raise CheckpointFormatError(
                f"{self.index_file}: checksum mismatch in the block at offset {offset}"
            )
        if compression != 0:
            raise CheckpointFormatError(
                f"{self.index_file}: compressed blocks (type {compression}) are not supported"
            )
        return contents

    @staticmethod
    def _block_entries(block: bytes) -> List[Tuple[bytes, bytes]]:
        (num_restarts,) = struct.unpack_from("<I", block, len(block) - 4)
        end = len(block) - 4 - 4 * num_restarts
        entries, position, key = [], 0, b""
        while position < end:
            shared, position = _varint(block, position)
            non_shared, position = _varint(block, position)
            value_length, position = _varint(block, position)
            key = key[:shared] + block[position : position + non_shared]
            position += non_shared
            entries.append((key, block[position : position + value_length]))
            position += value_length
        return entries

    def _read_table(self) -> Dict[bytes, bytes]:
        data = self._index_bytes
        if len(data) < FOOTER_SIZE:
            raise CheckpointFormatError(
                f"{self.index_file}: {len(data)} bytes, too short for a checkpoint index"
            )
        footer = data[-FOOTER_SIZE:]
        (magic,) = struct.unpack_from("<Q", footer, FOOTER_SIZE - 8)
        if magic != MAGIC:
            raise CheckpointFormatError(
                f"{self.index_file}: not a TensorFlow checkpoint index (wrong magic number)"
            )
        try:
            _, position = _varint(footer, 0)
            _, position = _varint(footer, position)
            index_offset, position = _varint(footer, position)
            index_size, position = _varint(footer, position)
            entries: Dict[bytes, bytes] = {}
            for _, handle in self._block_entries(self._block(index_offset, index_size)):
                offset, after = _varint(handle, 0)
                size, _ = _varint(handle, after)
                entries.update(self._block_entries(self._block(offset, size)))
        except (IndexError, struct.error) as error:
            raise CheckpointFormatError(f"{self.index_file}: truncated or corrupt ({error})")
        return entries

    # ---- tensors ------------------------------------------------------------------------------

    def variables(self) -> Dict[str, Tuple[str, Tuple[int, ...]]]:
        """Every variable's dtype name and shape, sorted by name."""
        return {
            name: (DTYPE_NAMES.get(e.dtype, f"dtype {e.dtype}"), e.shape)
            for name, e in sorted(self._entries.items())
        }

    def __contains__(self, name: str) -> bool:
        return name in self._entries

    def load(self, name: str) -> numpy.ndarray:
        """The array of variable `name`, its checksum verified."""
        if name not in self._entries:
            raise KeyError(f"{self.prefix}: no variable {name!r}")
        entry = self._entries[name]
        if entry.dtype not in DTYPES:
            raise CheckpointFormatError(
                f"{name}: dtype {DTYPE_NAMES.get(entry.dtype, entry.dtype)} is not supported"
            )
        data_file = f"{self.prefix}.data-{entry.shard:05d}-of-{self.num_shards:05d}"
        if not os.path.exists(data_file):
            raise CheckpointFormatError(f"{data_file}: missing data shard for {name!r}")
        with open(data_file, "rb") as handle:
            handle.seek(entry.offset)
            data = handle.read(entry.size)
        if len(data) != entry.size:
            raise CheckpointFormatError(
                f"{data_file}: truncated ({name!r} needs bytes "
                f"{entry.offset}-{entry.offset + entry.size})"
            )
        if entry.crc32c is not None and masked_crc32c(data) != entry.crc32c:
            raise CheckpointFormatError(f"{data_file}: checksum mismatch for {name!r}")
        dtype = numpy.dtype(DTYPES[entry.dtype]).newbyteorder("<")
        return numpy.frombuffer(data, dtype=dtype).reshape(entry.shape).copy()
