"""Outputs that look right and survive: table headers, videos that play wherever the notebook
goes, progress that never outlives its work, notebooks that open unmodified and stay small."""

import base64
import io
import json
import os
import re
import struct
import time
import unittest

from kernel_session import KernelTestCase

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.join(HERE, "..", "..")

STORY = """
let s = story("Lanterns", `A girl in a red coat lights a paper lantern at the edge of the dark harbour.

A cold wind comes off the sea, and the small flame flickers and goes out at once.

She shelters the lantern in her coat, strikes another match, and lights it again, smiling.`);
"""


def image_size(data):
    """Width and height of PNG or JPEG bytes, without an imaging library."""
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return struct.unpack(">II", data[16:24])
    stream = io.BytesIO(data[2:])
    while True:
        marker, kind, length = struct.unpack(">BBH", stream.read(4))
        if kind in (0xC0, 0xC1, 0xC2):
            height, width = struct.unpack(">xHH", stream.read(5))
            return width, height
        stream.seek(length - 2, io.SEEK_CUR)


def screen(messages):
    """What a front-end shows at the end: displays with an id are updated in place."""
    shown, by_id = [], {}
    for msg in messages:
        kind, content = msg["msg_type"], msg["content"]
        display_id = content.get("transient", {}).get("display_id")
        if kind == "update_display_data":
            if display_id in by_id:
                by_id[display_id]["data"] = content["data"]
        elif kind in ("display_data", "execute_result"):
            output = {"data": content["data"]}
            shown.append(output)
            if display_id:
                by_id[display_id] = output
        elif kind == "clear_output":
            shown.clear()
    return [o["data"] for o in shown]


def progress_displays(messages):
    return [m for m in messages if "<progress" in m["content"].get("data", {}).get("text/html", "")]


class Outputs(KernelTestCase):
    setup_code = STORY

    def test_table_headers_align_with_their_cells(self):
        reply, messages = self.run_cell("s")
        html = screen(messages)[0]["text/html"]
        headers = re.findall(r"<th\b[^>]*>", html)
        self.assertTrue(headers)
        for th in headers:
            self.assertIn("text-align:left", th)

    def test_notebooks_carry_the_language_info_the_kernel_reports(self):
        info = self.kc.kernel_info(reply=True, timeout=30)["content"]["language_info"]
        self.assertEqual(info["codemirror_mode"], "javascript")
        for name in ("quickstart", "kernel_tour"):
            with open(os.path.join(REPO, "scripts", f"{name}.ipynb")) as f:
                metadata = json.load(f)["metadata"]
            # JupyterLab copies the kernel's language_info into the notebook: if it differs,
            # the notebook shows as modified the moment it opens.
            self.assertEqual(metadata["language_info"], info, name)

    def test_images_are_display_sized_once_and_sheets_link_the_full_file(self):
        _, messages = self.run_cell("sd_generate(s.scene(0), #{ n: 2 })")
        sheet = screen(messages)[-1]["text/html"]
        tiles = re.findall(r'<a href="([^"]+)"[^>]*><img src="data:(image/\w+);base64,([^"]+)"', sheet)
        self.assertEqual(len(tiles), 2, sheet[:300])
        for href, mime, b64 in tiles:
            width, height = image_size(base64.b64decode(b64))
            self.assertLessEqual(height, 256)
            self.assertTrue(href.endswith(".png"), href)
        _, messages = self.run_cell("s.scene(0).candidates[0]")
        data = screen(messages)[-1]
        mime = next(m for m in data if m.startswith("image/"))
        self.assertLessEqual(image_size(base64.b64decode(data[mime]))[1], 512)
        # One copy of the picture in a saved notebook: none again inside HTML; the text names
        # the full file.
        self.assertEqual(sorted(data), sorted([mime, "text/plain"]))
        self.assertIn(".png", data["text/plain"])

    def test_small_videos_play_wherever_the_notebook_is_opened(self):
        reply, messages = self.run_cell(
            'sd_generate(s, #{ n: 1 }); s.pick([0, 0, 0]);\n'
            'render(s, #{ out: "small.mp4", format: #{ width: 144, height: 256 }, fps: 8, captions: false })'
        )
        self.assertEqual(reply["status"], "ok", reply)
        videos = [d["text/html"] for d in screen(messages) if "<video" in d.get("text/html", "")]
        self.assertEqual(len(videos), 1)
        self.assertIn('src="data:video/mp4;base64,', videos[0])

    def test_progress_never_outlives_its_work(self):
        # Finished work: whatever progress appeared is gone from the screen.
        _, messages = self.run_cell("sd_generate(s.scene(1), #{ n: 4 })")
        for data in screen(messages):
            self.assertNotIn("<progress", data.get("text/html", ""), data)
        # Work that takes no time (cached) shows no progress at all.
        _, messages = self.run_cell("sd_generate(s.scene(1), #{ n: 4 })")
        self.assertEqual(progress_displays(messages), [])

    def test_an_interrupted_render_leaves_no_progress_behind(self):
        self.run_cell('sd_generate(s, #{ n: 1 }); s.pick([0, 0, 0]);')
        msg_id = self.kc.execute(
            'render(s, #{ out: "long.mp4", format: #{ width: 1080, height: 1920 }, fps: 60 })'
        )
        messages = []
        deadline = time.time() + 120
        while not progress_displays(messages):
            self.assertLess(time.time(), deadline, "no progress display for a long render")
            msg = self.kc.get_iopub_msg(timeout=120)
            if msg["parent_header"].get("msg_id") == msg_id:
                messages.append(msg)
        self.km.interrupt_kernel()
        messages += self.iopub_until_idle(msg_id)
        self.assertIn("error", [m["msg_type"] for m in messages])
        for data in screen(messages):
            self.assertNotIn("<progress", data.get("text/html", ""), data)


if __name__ == "__main__":
    unittest.main()
