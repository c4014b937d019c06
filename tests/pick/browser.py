"""Drives the `storyreel pick` page in headless Chromium, as a user would: open the list of
stories, open one, pick by clicking a tile and by pressing a candidate's number, render, and
wait for the video. Prints one line per step; exits non-zero on the first failure.

usage: browser.py URL CHROMIUM CHROMEDRIVER PROFILE_DIR
"""
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

url, chromium, chromedriver, profile = sys.argv[1:5]
options = webdriver.ChromeOptions()
options.binary_location = chromium
for arg in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1400,1000"]:
    options.add_argument(arg)
driver = webdriver.Chrome(service=Service(chromedriver), options=options)
# Each pick reloads the page: an element found just before may be gone a moment later.
RELOADING = [StaleElementReferenceException, NoSuchElementException]
wait = WebDriverWait(driver, 30, ignored_exceptions=RELOADING)
try:
    driver.get(url)
    link = wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "a.story")))
    print("index:", driver.find_element(By.TAG_NAME, "table").text.replace("\n", " | "))
    link.click()

    # Click candidate 2 of scene 1; the page comes back with it picked.
    tile = wait.until(ec.element_to_be_clickable((By.ID, "tile-1-2")))
    assert "/thumb/s/" in tile.find_element(By.TAG_NAME, "img").get_attribute("src")
    tile.click()
    wait.until(lambda d: "picked" in d.find_element(By.ID, "tile-1-2").get_attribute("class"))
    print("clicked: scene 1 candidate 2 is picked")

    # The keyboard: focus scene 0's first tile, press 1.
    driver.find_element(By.ID, "tile-0-0").send_keys("1")
    wait.until(lambda d: "picked" in d.find_element(By.ID, "tile-0-1").get_attribute("class"))
    print("key: scene 0 candidate 1 is picked")
    print("progress:", driver.find_element(By.ID, "progress").text)

    driver.find_element(By.ID, "render").click()
    # While the render runs the page reloads every second, so the status is read in one
    # script call: a node found by one call can be gone (replaced) by the next.
    render_status = ("const e = document.getElementById('render-status');"
                     " return e ? e.textContent : '';")
    WebDriverWait(driver, 300).until(
        lambda d: any(w in d.execute_script(render_status) for w in ("rendered in", "failed")))
    status = driver.find_element(By.ID, "render-status").text
    print("render:", status)
    assert "rendered in" in status, driver.find_element(By.TAG_NAME, "body").text
    video = driver.find_element(By.ID, "video")
    # The browser loads and decodes the video the page shows.
    WebDriverWait(driver, 30, ignored_exceptions=RELOADING).until(
        lambda d: d.execute_script("return arguments[0].readyState", video) >= 1)
    duration = driver.execute_script("return arguments[0].duration", video)
    print(f"video: {duration:.2f} s")
    assert duration > 0
    print("OK")
finally:
    driver.quit()
