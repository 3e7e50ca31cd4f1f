"""Benchmark: what the `ledger mcp` tool list costs every session, in bytes and in tokens.

Run: .venv/bin/python bench/bench_mcp_tools.py [--write tools.json] [--tokens tools.json]

An MCP client puts the whole tool list into the model's context in every session. This starts
`ledger mcp` in a throwaway git repository, lists the tools with the SDK's own client
(`ClientSession.list_tools()`), and prints the size of the list as the client receives it
(the tool records serialized as JSON), per tool and in total (target: under 8 000 bytes).

Tokens need a tokenizer, which `ledger` does not depend on. `--tokens FILE` counts the tokens of
a list written by `--write FILE` with the tokenizer that ships inside the `anthropic` SDK up to
0.38 (`Anthropic().count_tokens`, offline; install it in a separate environment:
`python -m venv /tmp/tok && /tmp/tok/bin/pip install 'anthropic<0.39' 'httpx<0.28'`, then
`/tmp/tok/bin/python bench/bench_mcp_tools.py --tokens tools.json`). That tokenizer is an older
Claude one; current models count within a few percent of it on JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

LEDGER = "## [DEMO-001] A focus\n- Status: pending\n- Priority: High\n"


def list_tools() -> list[dict]:
    """The tool records `ledger mcp` lists, as the client receives them."""
    from mcp import ClientSession, StdioServerParameters
    from mcp.client.stdio import stdio_client

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "docs").mkdir()
        (root / "docs" / "fix_plan.md").write_text(LEDGER)
        subprocess.run(["git", "init", "-q"], cwd=root, check=True)

        async def main() -> list[dict]:
            params = StdioServerParameters(
                command=sys.executable,
                args=["-m", "ledger", "mcp"],
                cwd=str(root),
                env=dict(os.environ),
            )
            async with (
                stdio_client(params) as (read, write),
                ClientSession(read, write) as client,
            ):
                await client.initialize()
                tools = await client.list_tools()
            return [
                t.model_dump(by_alias=True, exclude_none=True, mode="json") for t in tools.tools
            ]

        return asyncio.run(main())


def count_tokens(path: Path) -> None:
    import anthropic  # the SDK's bundled offline tokenizer (versions before 0.39)

    tools = json.loads(path.read_text())
    client = anthropic.Anthropic(api_key="offline")
    total = client.count_tokens(json.dumps(tools))
    for tool in tools:
        print(f"  {tool['name']:<12} {client.count_tokens(json.dumps(tool)):>6} tokens")
    print(f"tool list: {total} tokens ({anthropic.__version__} tokenizer)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", type=Path, help="write the tool list (JSON) to this file")
    parser.add_argument("--tokens", type=Path, help="count the tokens of a written tool list")
    args = parser.parse_args()
    if args.tokens:
        count_tokens(args.tokens)
        return
    tools = list_tools()
    for tool in tools:
        print(f"  {tool['name']:<12} {len(json.dumps(tool).encode()):>6} bytes")
    size = len(json.dumps(tools).encode())
    print(f"tool list: {len(tools)} tools, {size} bytes (target < 8000)")
    if args.write:
        args.write.write_text(json.dumps(tools))
    sys.exit(0 if size < 8000 else 1)


if __name__ == "__main__":
    main()
