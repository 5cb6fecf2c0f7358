"""
Reading TensorBoard event files back in tests: the TFRecord framing (length, masked CRC32C of the
length, the record, masked CRC32C of the record; both checked) around `Event` protocol buffers,
parsed with the Event message tensorboardX ships (tensorboard itself is not installed).
"""

import glob
import os
import struct
from collections import defaultdict
from typing import Dict, List, Tuple

import google_crc32c
from tensorboardX.proto.event_pb2 import Event


def _masked_crc(data: bytes) -> int:
    crc = int.from_bytes(google_crc32c.Checksum(data).digest(), "big")
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def read_records(path: str) -> List[bytes]:
    with open(path, "rb") as handle:
        data = handle.read()
    records, position = [], 0
    while position < len(data):
        header = data[position : position + 8]
        (length,) = struct.unpack("<Q", header)
        (length_crc,) = struct.unpack("<I", data[position + 8 : position + 12])
        assert length_crc == _masked_crc(header), f"{path}: bad length checksum"
        record = data[position + 12 : position + 12 + length]
        (record_crc,) = struct.unpack("<I", data[position + 12 + length : position + 16 + length])
        assert record_crc == _masked_crc(record), f"{path}: bad record checksum"
        records.append(record)
        position += 16 + length
    return records


def read_scalars(directory: str) -> Dict[str, List[Tuple[int, float]]]:
    """tag -> [(step, value), ...] over every event file directly in `directory`, file by file
    in name (= creation time) order."""
    scalars: Dict[str, List[Tuple[int, float]]] = defaultdict(list)
    for path in sorted(glob.glob(os.path.join(directory, "events.out.tfevents.*"))):
        for record in read_records(path):
            event = Event.FromString(record)
            for value in event.summary.value:
                scalars[value.tag].append((event.step, value.simple_value))
    return dict(scalars)
