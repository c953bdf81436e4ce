"""The floor of workforce: to be written."""

from bench.floor.block import Block

BLOCKS: dict[str, Block] = {}
