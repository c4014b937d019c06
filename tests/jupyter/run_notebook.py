"""Executes a notebook on the storyreel kernel with nbclient and checks what it saved.

Usage: run_notebook.py NOTEBOOK OUTPUT [MIME...]
Checks: every code cell ran without error; outputs of each MIME type named (default text/html)
exist ("video" asks for an HTML video player); an appended cell with a syntax error gives exactly one `error` output and the cell after it
still runs.
"""

import os
import sys

import nbformat
from nbclient import NotebookClient

source, saved = sys.argv[1], sys.argv[2]
expected = sys.argv[3:] or ["text/html"]
nb = nbformat.read(source, as_version=4)
nb.cells.append(nbformat.v4.new_code_cell('let broken = ;'))
nb.cells.append(nbformat.v4.new_code_cell('print("after the error");\n"still running"'))

workdir = os.path.dirname(os.path.abspath(source))
client = NotebookClient(
    nb,
    kernel_name="storyreel",
    timeout=600,
    allow_errors=True,
    resources={"metadata": {"path": workdir}},
)
client.execute()
nbformat.write(nb, saved)

nb = nbformat.read(saved, as_version=4)
code_cells = [c for c in nb.cells if c.cell_type == "code"]
outputs = [o for c in code_cells for o in c.outputs]
mimes = {m for o in outputs for m in o.get("data", {})}
failures = []
htmls = [o.get("data", {}).get("text/html", "") for o in outputs]
for mime in expected:
    if mime == "video":
        if not any("<video" in h for h in htmls):
            failures.append("no video output")
    elif mime not in mimes:
        failures.append(f"no {mime} output (MIME types seen: {sorted(mimes)})")
if any(c.execution_count is None for c in code_cells):
    failures.append("a code cell did not run")
broken, after = code_cells[-2], code_cells[-1]
if [o.output_type for o in broken.outputs] != ["error"]:
    failures.append(f"syntax error cell outputs: {[o.output_type for o in broken.outputs]}")
elif broken.outputs[0].ename != "SyntaxError":
    failures.append(f"syntax error reported as {broken.outputs[0].ename}")
texts = [o.get("text", "") for o in after.outputs] + [
    o.get("data", {}).get("text/plain", "") for o in after.outputs
]
if "after the error\n" not in texts or "still running" not in texts:
    failures.append(f"the cell after the error did not run: {after.outputs}")
for cell in code_cells[:-2]:
    for o in cell.outputs:
        if o.output_type == "error":
            failures.append(f"unexpected error in {cell.source!r}: {o.evalue}")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print(f"ok: {len(code_cells)} code cells, {len(outputs)} outputs, MIME types {sorted(mimes)}, "
      f"{os.path.getsize(saved)} bytes saved")
