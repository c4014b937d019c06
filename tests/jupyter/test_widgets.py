"""Click to pick: candidate sheets and storyboards as Jupyter widgets, over the comm messages a
front-end with ipywidgets 8 exchanges with the kernel (open, update, custom click, close,
request_states after a page reload), checked against what ipywidgets itself makes."""

import unittest
import uuid

from ipywidgets.widgets.widget import _put_buffers, _remove_buffers

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

    def test_request_states_puts_buffers_where_ipywidgets_does(self):
        """After a page reload the widget manager asks for every model at once; the buffer paths
        must be those ipywidgets' own request_states handler makes (`_remove_buffers` over
        {id: {model_name, …, state}}), or every picture comes back broken."""
        control = self.announce_widget_manager()
        _, messages = self.run_cell("sd_generate(s.scene(0), #{ n: 2 })")
        models = self.opened(messages)
        full = {}
        for model_id, (state, paths, buffers) in models.items():
            state = dict(state)
            _put_buffers(state, paths, [bytes(b) for b in buffers])
            full[model_id] = {
                "model_name": state["_model_name"],
                "model_module": state["_model_module"],
                "model_module_version": state["_model_module_version"],
                "state": state,
            }
        _, expected, _ = _remove_buffers(full)
        self.assertEqual(len(expected), 2, "two pictures")

        answer = of_type(self.comm_msg(control, {"method": "request_states"}), "comm_msg")[0]
        data = answer["content"]["data"]
        self.assertEqual(data["method"], "update_states")
        ours = sorted(tuple(p) for p in data["buffer_paths"] if p[0] in models)
        self.assertEqual(ours, sorted(tuple(p) for p in expected))
        # What the widget manager then does: each picture is back in its model's state.
        states = data["states"]
        _put_buffers(states, data["buffer_paths"], [bytes(b) for b in answer["buffers"]])
        for model_id, (state, paths, buffers) in models.items():
            if paths:
                self.assertEqual(bytes(states[model_id]["state"]["value"]), bytes(buffers[0]))

    def run_in_cell(self, code, cell_id, deleted=()):
        """An execute_request as JupyterLab and Notebook 7 send it: naming its cell."""
        content = {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                   "allow_stdin": False, "stop_on_error": True}
        metadata = {"cellId": cell_id, "deletedCells": list(deleted), "recordTiming": False}
        msg = self.kc.session.msg("execute_request", content, metadata=metadata)
        self.kc.shell_channel.send(msg)
        return self.iopub_until_idle(msg["header"]["msg_id"])

    def comms(self):
        return set(self.kc.comm_info(target_name="jupyter.widget", reply=True, timeout=30)["content"]["comms"])

    def test_a_cell_run_again_closes_the_widgets_of_its_last_run(self):
        self.announce_widget_manager()
        before = self.comms()
        cell = uuid.uuid4().hex
        first = self.opened(self.run_in_cell("sd_generate(s.scene(0), #{ n: 2 })", cell))
        self.assertTrue(first)
        after_one = self.comms()
        for _ in range(3):
            messages = self.run_in_cell("sd_generate(s.scene(0), #{ n: 2 })", cell)
        closed = {m["content"]["comm_id"] for m in of_type(messages, "comm_close")}
        self.assertEqual(len(self.comms()), len(after_one), "open comms grow with every run")
        self.assertFalse(set(first) & self.comms(), "the first run's widgets are still open")
        # The last run closed the one before it, whose models are as many as the first run's.
        self.assertEqual(len(closed), len(first))
        # A deleted cell's widgets close with the next run of any cell.
        self.run_in_cell("1", uuid.uuid4().hex, deleted=[cell])
        self.assertEqual(self.comms(), before)

    def test_a_click_while_a_cell_runs_shows_as_pending(self):
        self.announce_widget_manager()
        _, messages = self.run_cell("sd_generate(s.scene(2), #{ n: 2 })")
        buttons = self.buttons(self.opened(messages))
        busy = self.kc.execute("let x = 0; for i in 0..10000000 { x += 1; } x")
        click = self.kc.session.msg(
            "comm_msg", {"comm_id": buttons["pick 1"], "data": {"method": "custom", "content": {"event": "click"}}})
        self.kc.shell_channel.send(click)
        click_id = click["header"]["msg_id"]
        seen, idle = [], set()
        while len(idle) < 2:
            msg = self.kc.get_iopub_msg(timeout=120)
            parent = msg["parent_header"].get("msg_id")
            if parent not in (busy, click_id):
                continue
            seen.append(msg)
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                idle.add(parent)

        def said(i):
            m = seen[i]
            return m["content"].get("data", {}).get("state", {}).get("description") if m["msg_type"] == "comm_msg" else None

        cell_done = next(i for i, m in enumerate(seen)
                         if m["parent_header"]["msg_id"] == busy and m["msg_type"] == "status"
                         and m["content"]["execution_state"] == "idle")
        pending = [i for i in range(len(seen)) if (said(i) or "").startswith("picking 1")]
        self.assertTrue(pending, [said(i) for i in range(len(seen))])
        self.assertLess(pending[0], cell_done, "the click showed nothing until the cell ended")
        picked = [i for i in range(len(seen)) if said(i) == "✓ picked 1"]
        self.assertTrue(picked and picked[0] > cell_done, [said(i) for i in range(len(seen))])
        _, messages = self.run_cell("s.scene(2).picked")
        self.assertEqual(result_data(messages)[-1]["text/plain"], "1")

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
