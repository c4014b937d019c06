"""Click to pick: candidate sheets and storyboards as Jupyter widgets, over the comm messages a
front-end with ipywidgets 8 exchanges with the kernel (open, update, custom click, close)."""

import unittest
import uuid

from kernel_session import KernelTestCase

VIEW = "application/vnd.jupyter.widget-view+json"
STORY = """
let s = story("Lanterns", `A girl in a red coat lights a paper lantern at the edge of the dark harbour.

A cold wind comes off the sea, and the small flame flickers and goes out at once.

She shelters the lantern in her coat, strikes another match, and lights it again, smiling.`);
"""


def of_type(messages, kind):
    return [m for m in messages if m["msg_type"] == kind]


def result_data(messages):
    return [m["content"]["data"] for m in messages if m["msg_type"] in ("execute_result", "display_data")]


class WithoutWidgets(KernelTestCase):
    """A front-end that never announced a widget manager (nbclient, a bare JupyterLab)."""

    setup_code = STORY

    def test_the_numbered_static_sheet_is_shown(self):
        reply, messages = self.run_cell("sd_generate(s.scene(0), #{ n: 2 })")
        self.assertEqual(reply["status"], "ok")
        self.assertEqual(of_type(messages, "comm_open"), [])
        data = result_data(messages)[-1]
        self.assertNotIn(VIEW, data)
        self.assertIn("<img", data["text/html"])


class ClickToPick(KernelTestCase):
    setup_code = STORY

    def send(self, msg_type, content):
        msg = self.kc.session.msg(msg_type, content)
        self.kc.shell_channel.send(msg)
        return self.iopub_until_idle(msg["header"]["msg_id"])

    def comm_msg(self, comm_id, data):
        return self.send("comm_msg", {"comm_id": comm_id, "data": data})

    def announce_widget_manager(self):
        """What JupyterLab's widget manager does on connecting: the control comm."""
        control = uuid.uuid4().hex
        self.send("comm_open", {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}})
        return control

    def opened(self, messages):
        """Widget models opened, by id: (state, buffers), checking each refers to earlier ones."""
        models = {}
        for m in of_type(messages, "comm_open"):
            content = m["content"]
            self.assertEqual(content["target_name"], "jupyter.widget")
            self.assertEqual(m["metadata"]["version"][:2], "2.")
            state = content["data"]["state"]
            for value in state.values():
                refs = value if isinstance(value, list) else [value]
                for ref in refs:
                    if isinstance(ref, str) and ref.startswith("IPY_MODEL_"):
                        self.assertIn(ref[len("IPY_MODEL_"):], models, "a model refers to one not yet open")
            models[content["comm_id"]] = (state, content["data"]["buffer_paths"], m["buffers"])
        return models

    def buttons(self, models):
        return {s["description"]: i for i, (s, _, _) in models.items() if s["_model_name"] == "ButtonModel"}

    def test_click_picks_highlights_and_closes(self):
        control = self.announce_widget_manager()
        states = of_type(self.comm_msg(control, {"method": "request_states"}), "comm_msg")
        self.assertEqual(states[0]["content"]["data"]["method"], "update_states")

        reply, messages = self.run_cell("sd_generate(s.scene(1), #{ n: 3 })")
        self.assertEqual(reply["status"], "ok")
        models = self.opened(messages)
        data = result_data(messages)[-1]
        root = data[VIEW]["model_id"]
        self.assertEqual(models[root][0]["_model_module"], "@jupyter-widgets/controls")
        self.assertIn("<img", data["text/html"], "no static sheet for front-ends without widgets")
        # Pictures travel as binary buffers, not as base64 inside JSON.
        images = [m for m in models.values() if m[0]["_model_name"] == "ImageModel"]
        self.assertEqual(len(images), 3)
        for state, paths, buffers in images:
            self.assertEqual(paths, [["value"]])
            self.assertNotIn("value", state)
            self.assertTrue(bytes(buffers[0])[:2] in (b"\xff\xd8", b"\x89P"))
        buttons = self.buttons(models)
        self.assertEqual(sorted(buttons), ["pick 0", "pick 1", "pick 2"])

        listed = self.kc.comm_info(target_name="jupyter.widget", reply=True, timeout=30)["content"]["comms"]
        self.assertTrue(set(models) <= set(listed))
        image_id = next(i for i, m in models.items() if m[0]["_model_name"] == "ImageModel")
        update = of_type(self.comm_msg(image_id, {"method": "request_state"}), "comm_msg")[0]
        self.assertEqual(update["content"]["data"]["method"], "update")
        self.assertEqual(update["content"]["data"]["buffer_paths"], [["value"]])
        self.assertEqual(len(update["buffers"]), 1)

        # The click: the chosen button and its tile change, and the session has the pick.
        clicked = self.comm_msg(buttons["pick 2"], {"method": "custom", "content": {"event": "click"}})
        updates = {m["content"]["comm_id"]: m["content"]["data"]["state"] for m in of_type(clicked, "comm_msg")}
        self.assertEqual(updates[buttons["pick 2"]]["description"], "✓ picked 2")
        self.assertEqual(updates[buttons["pick 2"]]["button_style"], "success")
        borders = [u["border_top"] for u in updates.values() if "border_top" in u]
        self.assertEqual(borders, ["3px solid #2e7d32"])
        reply, messages = self.run_cell("s.scene(1).picked")
        self.assertEqual(result_data(messages)[-1]["text/plain"], "2")

        # A pick typed in a cell moves the highlight too.
        _, messages = self.run_cell("s.scene(1).pick(0);")
        updates = {m["content"]["comm_id"]: m["content"]["data"]["state"] for m in of_type(messages, "comm_msg")}
        self.assertEqual(updates[buttons["pick 2"]]["description"], "pick 2")
        self.assertEqual(updates[buttons["pick 0"]]["description"], "✓ picked 0")

        self.send("comm_close", {"comm_id": root, "data": {}})
        listed = self.kc.comm_info(target_name="jupyter.widget", reply=True, timeout=30)["content"]["comms"]
        self.assertNotIn(root, listed)

    def test_storyboard_offers_every_scene(self):
        self.announce_widget_manager()
        reply, messages = self.run_cell("sd_generate(s, #{ n: 2 })")
        self.assertEqual(reply["status"], "ok")
        models = self.opened(messages)
        buttons = [i for i, m in models.items() if m[0]["_model_name"] == "ButtonModel"]
        self.assertEqual(len(buttons), 6)
        self.assertIn(VIEW, result_data(messages)[-1])
        # The last scene's "pick 1".
        self.comm_msg(buttons[-1], {"method": "custom", "content": {"event": "click"}})
        _, messages = self.run_cell("s.scene(2).picked")
        self.assertEqual(result_data(messages)[-1]["text/plain"], "1")


if __name__ == "__main__":
    unittest.main()
