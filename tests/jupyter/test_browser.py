"""The storyreel kernel in a real JupyterLab with ipywidgets, driven in headless Chromium: a
shipped notebook opens unmodified, a candidate is picked by clicking it, and after a page reload
the widget pictures come back decoded.

Run by tests/frontends/kernel_jupyter.rs with JUPYTER_PATH pointing at a freshly installed kernelspec.
Needs jupyterlab, ipywidgets and selenium in this Python, and chromium + chromedriver.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request
import uuid

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.join(HERE, "..", "..")
STORY = """let s = story("Lanterns", `A girl in a red coat lights a paper lantern at the edge of the dark harbour.

A cold wind comes off the sea, and the small flame flickers and goes out at once.

She shelters the lantern in her coat, strikes another match, and lights it again, smiling.`);
sd_generate(s.scene(0), #{ n: 3 })"""


def program(name, *places):
    for place in (shutil.which(name), *places):
        if place and os.path.exists(place):
            return place
    raise unittest.SkipTest(f"{name} is not installed")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def notebook(cells):
    return {
        "cells": [
            {"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {},
             "outputs": [], "source": source}
            for i, source in enumerate(cells)
        ],
        "metadata": {"kernelspec": {"name": "storyreel", "display_name": "storyreel (Rhai)", "language": "rhai"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


class InJupyterLab(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        chromium = program("chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser")
        driver = program("chromedriver", "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")
        cls.tmp = tempfile.mkdtemp(prefix="storyreel-lab-")
        cls.root = os.path.join(cls.tmp, "notebooks")
        os.makedirs(cls.root)
        shutil.copy(os.path.join(REPO, "scripts", "kernel_tour.ipynb"), cls.root)
        with open(os.path.join(cls.root, "pick.ipynb"), "w") as f:
            json.dump(notebook([STORY, "s.scene(0).picked"]), f)
        cls.token = uuid.uuid4().hex
        cls.port = free_port()
        env = dict(os.environ)
        for var, sub in [("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                         ("JUPYTERLAB_SETTINGS_DIR", "settings"),
                         ("JUPYTERLAB_WORKSPACES_DIR", "workspaces")]:
            env[var] = os.path.join(cls.tmp, sub)
        cls.log = open(os.path.join(cls.tmp, "lab.log"), "w")
        cls.lab = subprocess.Popen(
            [sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
             f"--port={cls.port}", "--ip=127.0.0.1", f"--ServerApp.token={cls.token}",
             f"--ServerApp.root_dir={cls.root}", "--ServerApp.port_retries=0",
             "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
            env=env, stdout=cls.log, stderr=subprocess.STDOUT, cwd=cls.root,
        )
        cls.base = f"http://127.0.0.1:{cls.port}"
        deadline = time.time() + 120
        while True:
            try:
                urllib.request.urlopen(f"{cls.base}/api/status?token={cls.token}", timeout=5)
                break
            except OSError:
                if cls.lab.poll() is not None or time.time() > deadline:
                    cls.tearDownClass()
                    raise AssertionError("JupyterLab did not start:\n" + cls.lab_log())
                time.sleep(0.5)
        options = webdriver.ChromeOptions()
        options.binary_location = chromium
        for flag in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", "--window-size=1400,1000",
                     f"--user-data-dir={os.path.join(cls.tmp, 'chromium')}"]:
            options.add_argument(flag)
        cls.browser = webdriver.Chrome(service=Service(driver), options=options)

    @classmethod
    def lab_log(cls):
        cls.log.flush()
        with open(cls.log.name) as f:
            return f.read()[-4000:]

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "browser", None):
            cls.browser.quit()
        cls.lab.terminate()
        try:
            cls.lab.wait(timeout=20)
        except subprocess.TimeoutExpired:
            cls.lab.kill()
        cls.log.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def wait(self, condition, seconds=120, what="the page"):
        try:
            return WebDriverWait(self.browser, seconds).until(condition)
        except Exception:
            shot = os.path.join(tempfile.gettempdir(), "storyreel-lab-failure.png")
            self.browser.save_screenshot(shot)
            raise AssertionError(f"waited for {what} in vain (screenshot {shot})\n{self.lab_log()}")

    def open(self, name):
        self.browser.get(f"{self.base}/lab/tree/{name}?token={self.token}&reset")
        self.wait(ready.presence_of_element_located((By.CSS_SELECTOR, ".jp-Notebook .jp-Cell")),
                  what=f"{name} to open")
        # The kernel has started and answered kernel_info when the status bar says Idle.
        self.wait(lambda b: "Idle" in b.find_element(By.ID, "jp-main-statusbar").text,
                  what="the kernel to be idle")

    def dirty(self):
        return self.browser.find_elements(By.CSS_SELECTOR, ".jp-mod-current.jp-mod-dirty, .lm-TabBar-tab.jp-mod-dirty")

    def run_cell(self, index):
        cell = self.browser.find_elements(By.CSS_SELECTOR, ".jp-Notebook .jp-CodeCell")[index]
        cell.find_element(By.CSS_SELECTOR, ".jp-InputPrompt").click()
        cell.send_keys(Keys.SHIFT, Keys.ENTER)
        return cell

    def test_a_shipped_notebook_opens_unmodified(self):
        self.open("kernel_tour.ipynb")
        time.sleep(2)  # metadata from kernel_info lands just after the kernel is ready
        self.assertEqual(self.dirty(), [], "the notebook shows as modified on opening")

    def test_clicking_a_candidate_picks_it(self):
        self.open("pick.ipynb")
        first = self.run_cell(0)
        button = self.wait(
            lambda b: next((e for e in first.find_elements(By.CSS_SELECTOR, "button.jupyter-button")
                            if e.text.strip() == "pick 2"), False),
            what="the candidates' pick buttons")
        images = first.find_elements(By.CSS_SELECTOR, ".widget-image")
        self.assertEqual(len(images), 3)
        button.click()
        self.wait(lambda b: button.text.strip() == "✓ picked 2", what="the pick to show")
        second = self.run_cell(1)
        result = self.wait(
            lambda b: second.find_elements(By.CSS_SELECTOR, ".jp-OutputArea-output"), what="the picked result")
        self.wait(lambda b: result[0].text.strip() == "2", seconds=60, what="s.scene(0).picked == 2")

        # Reload the page while the kernel runs: the widget manager asks the kernel for every
        # model (request_states) and the pictures must come back decoded, the pick marked.
        self.browser.find_element(By.CSS_SELECTOR, ".jp-Notebook").click()
        self.browser.find_element(By.TAG_NAME, "body").send_keys(Keys.CONTROL, "s")
        self.wait(lambda b: not self.dirty(), what="the notebook to be saved")
        self.browser.refresh()
        self.wait(ready.presence_of_element_located((By.CSS_SELECTOR, ".jp-Notebook .jp-Cell")),
                  what="the notebook to open again")
        decoded = ("const imgs = [...document.querySelectorAll('.jp-Notebook .widget-image')];"
                   " return imgs.length && imgs.every(i => i.complete && i.naturalWidth > 0) ? imgs.length : 0")
        count = self.wait(lambda b: b.execute_script(decoded), what="the widget pictures after a reload")
        self.assertEqual(count, 3)
        texts = [e.text.strip() for e in self.browser.find_elements(By.CSS_SELECTOR, "button.jupyter-button")]
        self.assertIn("✓ picked 2", texts)


if __name__ == "__main__":
    unittest.main()
