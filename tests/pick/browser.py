"""Drives the `storyreel pick` page in headless Chromium, as a user would: open the list of
stories, open one, pick by clicking a tile and by the keyboard (always on the focused tile, or
not at all), look at a candidate large without picking it, render and keep picking while it runs,
edit the story's text and find every pick and image kept, and see that a script without a
render() call is not reported as a render. Prints one line per step; exits non-zero on the first
failure.

usage: browser.py URL CHROMIUM CHROMEDRIVER PROFILE_DIR STORYREEL SCRIPT WORKSPACE
"""
import subprocess
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

url, chromium, chromedriver, profile, storyreel, script, workspace = sys.argv[1:8]
options = webdriver.ChromeOptions()
options.binary_location = chromium
for arg in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1400,1000"]:
    options.add_argument(arg)
driver = webdriver.Chrome(service=Service(chromedriver), options=options)
RELOADING = [StaleElementReferenceException, NoSuchElementException]
wait = WebDriverWait(driver, 30, ignored_exceptions=RELOADING)


def picked(tile_id):
    return "picked" in driver.find_element(By.ID, tile_id).get_attribute("class")


def picked_in(scene):
    return [t.get_attribute("id") for t in driver.find_elements(By.CSS_SELECTOR, f"#scene-{scene} button.tile.picked")]


def focused():
    return driver.execute_script("return document.activeElement && document.activeElement.id")


def keys(*pressed):
    ActionChains(driver).send_keys(*pressed).perform()


def mark_page():
    """A mark that a reload would wipe: the page must keep it."""
    driver.execute_script("window.notReloaded = true")


def still_same_page():
    assert driver.execute_script("return window.notReloaded === true"), "the page reloaded"


def status():
    return driver.execute_script(
        "const e = document.getElementById('render-status'); return e ? e.textContent : '';")


try:
    driver.get(url)
    link = wait.until(ec.element_to_be_clickable((By.LINK_TEXT, "Night Tale")))
    print("index:", driver.find_element(By.TAG_NAME, "table").text.replace("\n", " | "))
    link.click()

    # The candidates are the first screen: the last video is folded away.
    tile = wait.until(ec.element_to_be_clickable((By.ID, "tile-1-2")))
    assert not driver.find_element(By.ID, "video").is_displayed(), "the old video fills the screen"
    # Tab, as a user presses it: few stops before the first candidate, one per scene.
    driver.execute_script("document.activeElement && document.activeElement.blur()")
    stops = []
    for _ in range(12):
        keys(Keys.TAB)
        stops.append(driver.execute_script(
            "const e = document.activeElement; return e.id || e.tagName"))
        if stops[-1] == "tile-2-0":
            break
    first_tile = next(i for i, s in enumerate(stops) if s.startswith("tile-"))
    print("Tab stops before the first candidate:", stops[:first_tile], "then", stops[first_tile:])
    assert first_tile <= 3 and "VIDEO" not in stops, stops
    assert stops[first_tile:] == ["tile-0-0", "tile-1-0", "tile-2-0"], "one Tab stop per scene"

    # A click picks, without reloading the page.
    mark_page()
    assert "/thumb/s/" in tile.find_element(By.TAG_NAME, "img").get_attribute("src")
    tile.click()
    wait.until(lambda d: picked("tile-1-2"))
    still_same_page()
    assert "1 / 3" in driver.find_element(By.ID, "progress").text
    print("clicked: scene 1 candidate 2 is picked, no reload")

    # Keys act on the focused tile: ↓ ↓ → then 2 picks scene 2's candidate 2, not scene 0's.
    driver.execute_script("document.getElementById('tile-0-0').focus()")
    keys(Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.ARROW_RIGHT)
    assert focused() == "tile-2-1", focused()
    keys("2")
    wait.until(lambda d: picked("tile-2-2"))
    assert focused() == "tile-2-2", f"the focus moved to {focused()}"
    assert picked_in(0) == [], picked_in(0)
    keys("1")
    wait.until(lambda d: picked("tile-2-1"))
    assert picked_in(0) == [] and focused() == "tile-2-1", (picked_in(0), focused())
    keys(Keys.ARROW_UP, Keys.ARROW_UP, "1")
    wait.until(lambda d: picked("tile-0-1"))
    print("keys: ↓ ↓ → 2 picked scene 2, then 1 re-picked it; ↑ ↑ 1 picked scene 0")
    # With no tile in focus, a digit does nothing at all.
    driver.execute_script("document.activeElement.blur()")
    keys("2")
    time.sleep(1.0)
    assert picked_in(0) == ["tile-0-1"] and picked_in(2) == ["tile-2-1"], (picked_in(0), picked_in(2))
    still_same_page()
    print("keys: with nothing in focus a digit picks nothing")

    # A large view without picking.
    driver.execute_script("document.getElementById('tile-1-0').focus()")
    keys("v")
    box = driver.find_element(By.ID, "lightbox")
    wait.until(lambda d: box.is_displayed() and d.execute_script(
        "const i = document.querySelector('#lightbox img'); return i.complete && i.naturalWidth > 0"))
    large = driver.execute_script("return document.querySelector('#lightbox img').naturalWidth")
    assert "scene 1, candidate 0" in box.text, box.text
    keys(Keys.ESCAPE)
    wait.until(lambda d: not box.is_displayed())
    assert focused() == "tile-1-0" and picked("tile-1-2") and not picked("tile-1-0")
    print(f"large view: candidate 0 of scene 1 shown {large} px wide, nothing picked")

    # Render: what it runs is said before; picking goes on while it runs, its progress (frames,
    # time left) shown as it goes.
    plan = driver.find_element(By.ID, "render-plan").text
    assert "tale.rhai" in plan and "no render()" not in plan, plan
    driver.find_element(By.ID, "render").click()
    wait.until(lambda d: "rendering" in status())
    mark_page()
    during = status()
    driver.find_element(By.ID, "tile-2-0").click()
    wait.until(lambda d: picked("tile-2-0"))
    print(f"picked scene 2 candidate 0 while the status said {during!r}")
    assert "rendering" in during, during
    seen = set()
    def finished(d):
        s = status()
        seen.add(s)
        return any(w in s for w in ("rendered in", "failed", "no video"))
    WebDriverWait(driver, 300).until(finished)
    still_same_page()
    frames = [s for s in seen if "frames" in s]
    print("progress seen:", frames[-1] if frames else seen)
    assert any("s left" in s for s in frames), seen
    print("render:", status(), f"({len(seen)} different status lines, no reload)")
    assert "rendered in" in status(), driver.find_element(By.TAG_NAME, "body").text
    driver.execute_script("window.scrollTo(0, 0)")
    driver.find_element(By.CSS_SELECTOR, "#last-video summary").click()
    video = driver.find_element(By.ID, "video")
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return arguments[0].readyState", video) >= 1)
    duration = driver.execute_script("return arguments[0].duration", video)
    print(f"video: {duration:.2f} s")
    assert duration > 0

    # Edit the text above every scene and run the script again: each scene moves down one
    # place, with the very same images and its pick.
    before = {k: driver.find_element(By.CSS_SELECTOR, f"#tile-1-{k} img").get_attribute("src") for k in range(3)}
    with open(script) as f:
        text = f.read()
    with open(script, "w") as f:
        f.write(text.replace('"Night Tale", "', '"Night Tale", "A prologue: the forest at dusk.\\n\\n'))
    run = subprocess.run([storyreel, "run", script, "--out", workspace], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "not carried" not in run.stderr, run.stderr
    driver.refresh()
    wait.until(lambda d: d.find_element(By.ID, "tile-3-0"))
    after = {k: driver.find_element(By.CSS_SELECTOR, f"#tile-2-{k} img").get_attribute("src") for k in range(3)}
    assert after == before, (before, after)
    assert picked_in(1) == ["tile-1-1"] and picked_in(2) == ["tile-2-2"] and picked_in(3) == ["tile-3-0"], \
        (picked_in(1), picked_in(2), picked_in(3))
    print("edited: a paragraph above, every scene kept its images and its pick")

    # A script without render(): the page says so before, and does not claim a render after.
    driver.get(url)
    wait.until(ec.element_to_be_clickable((By.LINK_TEXT, "Quiet Tale"))).click()
    plan = wait.until(lambda d: d.find_element(By.ID, "render-plan")).text
    assert "no render() call" in plan, plan
    # Twenty candidates: a number of two digits picks past 9; 0 and 3 pick at once.
    driver.execute_script("document.getElementById('tile-0-0').focus()")
    keys("1", "5")
    wait.until(lambda d: picked("tile-0-15"))
    assert focused() == "tile-0-15", focused()
    keys(Keys.END)
    assert focused() == "tile-0-19", focused()
    keys("3")
    wait.until(lambda d: picked("tile-0-3"))
    print("keys: 1 5 picked candidate 15 of 20, 3 then picked candidate 3")
    driver.find_element(By.ID, "render").click()
    WebDriverWait(driver, 120).until(lambda d: any(w in status() for w in ("rendered", "failed", "no video")))
    print("no render():", status())
    assert "rendered no video" in status() and "rendered in" not in status(), status()
    print("OK")
finally:
    driver.quit()
