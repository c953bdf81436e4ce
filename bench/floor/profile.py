"""The floor of profile: to be written."""

from bench.floor.block import Block

BLOCKS: dict[str, Block] = {}
