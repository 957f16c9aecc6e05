// Opens the content report from the file system in Debian's Chromium (playwright-core) and checks
// what a physiotherapist relies on. Run by tests/web/test_content_report.py:
//   node tests/web/content_report_check.mjs <file:// URL> <expected topic count>
// The last line is "PASS content_report", or the process exits non-zero.
import { chromium } from "playwright-core";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const [url, expectedTopics] = process.argv.slice(2);
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const SHOTS = process.env.PACEWISE_SCREENSHOTS || "tests/output/screenshots";

function check(condition, message) {
  if (!condition) throw new Error(message);
}

const context = await chromium.launchPersistentContext(mkdtempSync(path.join(tmpdir(), "pacewise-report-")), {
  executablePath: CHROMIUM,
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  viewport: { width: 1280, height: 900 },
});
try {
  const page = context.pages()[0] || (await context.newPage());
  const elsewhere = [];
  page.on("request", (request) => { if (!request.url().startsWith("file:")) elsewhere.push(request.url()); });
  await page.goto(url);
  check(elsewhere.length === 0, `the report fetched from elsewhere: ${elsewhere.join(", ")}`);

  const sections = page.locator("section");
  check((await sections.count()) === Number(expectedTopics), `expected ${expectedTopics} topic sections, got ${await sections.count()}`);
  check(new RegExp(`${expectedTopics} topics, \\d+ not yet reviewed`).test(await page.locator("body > p").first().innerText()), "the sign-off count is missing");

  // Each deployment's numbers, as the widget shows them.
  const redFlags = page.locator("#red_flags .deployment");
  check((await redFlags.count()) === 2, "red_flags is not shown for both deployments");
  check((await redFlags.nth(0).innerText()).includes("call 999"), "the UK answer lacks 999");
  check((await redFlags.nth(1).innerText()).includes("call 911"), "the US answer lacks 911");
  const medicationUS = page.locator("#medication .deployment").nth(1);
  await medicationUS.locator("summary").click();
  check((await medicationUS.innerText()).includes("1-800-222-1222"), "the US overdose advice lacks Poison Help");

  // Review status, readability and sources.
  check(/Not yet reviewed/.test(await page.locator("#outlook").innerText()), "draft status missing");
  check(/short answer grade \d/.test(await page.locator("#outlook").innerText()), "readability missing");
  const link = page.locator("#why_pain_persists ol a").first();
  check(/^https:\/\//.test(await link.getAttribute("href")), "a source has no link");

  // Routing: counts per topic, and the wrong ones listed.
  const routing = await page.locator("section table").allInnerTexts();
  check(routing.every((table) => /example questions\s+\d+ of \d+ right/.test(table)), "a topic lacks its routing counts");
  const wrong = page.locator("section details:has(summary:text-matches('\\\\d+ wrong'))").first();
  await wrong.locator("summary").click();
  check(/→/.test(await wrong.innerText()), "a wrong question is not listed with where it went");

  // Warning signs and the rules that catch them.
  const safety = await page.locator("body").innerText();
  check(safety.includes("stroke_or_bleed_signs") && safety.includes("red_flag (emergency)"), "the safety rules are missing");
  await page.locator("#safety").scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(SHOTS, "content-report-safety.png") });
  console.log("PASS content_report");
} catch (error) {
  console.error(`FAIL content_report: ${error.stack || error}`);
  process.exitCode = 1;
} finally {
  await context.close();
}
