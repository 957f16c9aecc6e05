// Opens a patient's progress report link in Debian's Chromium (playwright-core) and checks what the
// physiotherapist will see. Run by tests/e2e/test_check_ins.py:
//   node tests/web/progress_report_check.mjs <report URL> <screenshot name> <text that must show>... -- <text that must not>...
// The last line is "PASS progress_report", or the process exits non-zero.
import { chromium } from "playwright-core";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const [url, shotName, ...expectations] = process.argv.slice(2);
const split = expectations.indexOf("--");
const mustShow = split < 0 ? expectations : expectations.slice(0, split);
const mustNotShow = split < 0 ? [] : expectations.slice(split + 1);
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const SHOTS = process.env.PACEWISE_SCREENSHOTS || "tests/output/screenshots";

function check(condition, message) {
  if (!condition) throw new Error(message);
}

const context = await chromium.launchPersistentContext(mkdtempSync(path.join(tmpdir(), "pacewise-progress-")), {
  executablePath: CHROMIUM,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  viewport: { width: 900, height: 1200 },
});
try {
  const page = context.pages()[0] || (await context.newPage());
  const requested = [];
  page.on("request", (request) => requested.push(request.url()));
  const response = await page.goto(url);
  check(response.status() === 200, `the report link answered ${response.status()}`);
  check(requested.every((address) => address === url || address.startsWith("data:")), `the report fetched more: ${requested.join(", ")}`);
  const text = await page.locator("body").innerText();
  for (const wanted of mustShow) check(text.includes(wanted), `"${wanted}" is not in the report:\n${text}`);
  for (const unwanted of mustNotShow) check(!text.includes(unwanted), `"${unwanted}" should not be in the report:\n${text}`);
  const chart = page.locator("img").first();
  if ((await chart.count()) > 0) {
    check(await chart.evaluate((image) => image.complete && image.naturalWidth > 0), "the pain chart did not draw");
  }
  await page.screenshot({ path: path.join(SHOTS, `${shotName}.png`), fullPage: true });
  console.log("PASS progress_report");
} catch (error) {
  console.error(`FAIL progress_report: ${error.stack || error}`);
  process.exitCode = 1;
} finally {
  await context.close();
}
