# CPython's side of the await round trip (benches/asyncio.rs, benches/instructions.rs):
# `await asyncio.sleep(0, 1)` in a loop inside one coroutine.
import asyncio


async def main(n):
    total = 0
    for i in range(n):
        total += await asyncio.sleep(0, 1)
    return total


def run(n):
    return asyncio.run(main(n))
