"""A storyreel kernel started through jupyter_client, as a front-end would, for the tests here.

Run by tests/frontends/kernel_jupyter.rs with JUPYTER_PATH pointing at a freshly installed kernelspec.
"""

import os
import queue
import unittest

from jupyter_client.manager import start_new_kernel

KERNEL = os.environ.get("STORYREEL_KERNEL_NAME", "storyreel")


class KernelTestCase(unittest.TestCase):
    """One kernel for the whole class; `setup_code` runs once it is up."""

    setup_code = ""

    @classmethod
    def setUpClass(cls):
        cls.km, cls.kc = start_new_kernel(kernel_name=KERNEL, startup_timeout=60)
        if cls.setup_code:
            reply, _ = cls.run_cell(cls.setup_code)
            assert reply["status"] == "ok", reply

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)

    @classmethod
    def run_cell(cls, code, timeout=120):
        """Runs a cell; returns its reply content and its IOPub messages (up to idle)."""
        msg_id = cls.kc.execute(code)
        reply = cls.kc.get_shell_msg(timeout=timeout)
        while reply["parent_header"].get("msg_id") != msg_id:
            reply = cls.kc.get_shell_msg(timeout=timeout)
        return reply["content"], cls.iopub_until_idle(msg_id, timeout)

    @classmethod
    def iopub_until_idle(cls, msg_id, timeout=120):
        seen = []
        while True:
            try:
                msg = cls.kc.get_iopub_msg(timeout=timeout)
            except queue.Empty:
                raise AssertionError(f"IOPub went quiet; saw {[m['msg_type'] for m in seen]}")
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            seen.append(msg)
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return seen

    @staticmethod
    def at_cursor(marked):
        """`story(|` → ("story(", 6): the code and the cursor (code points) the `|` marks."""
        pos = marked.index("|")
        return marked[:pos] + marked[pos + 1 :], pos
