// Browser scenarios for the Pacewise widget, driven by playwright-core in Debian's Chromium.
// Run by tests/web/test_widget.py (which starts the servers):
//   node tests/web/widget_scenarios.mjs <scenario>
// Environment: PACEWISE_WEB_URL (the demo page), PACEWISE_SCREENSHOTS (folder), CHROMIUM_PATH.
// Prints progress lines; the last line is "PASS <scenario>" or the process exits non-zero.
import { chromium } from "playwright-core";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import readline from "node:readline";

const WEB_URL = process.env.PACEWISE_WEB_URL;
const SHOTS = process.env.PACEWISE_SCREENSHOTS || "tests/output/screenshots";
const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const BOT_TIMEOUT = 30000;
mkdirSync(SHOTS, { recursive: true });

function check(condition, message) {
  if (!condition) throw new Error(message);
}

// Scenarios that need the browser set up as a patient's would be (here: a patient in Sydney).
const BROWSER_SETTINGS = { check_in_on_next_visit: { timezoneId: "Australia/Sydney" } };

async function launch(settings = {}) {
  return chromium.launchPersistentContext(mkdtempSync(path.join(tmpdir(), "pacewise-chromium-")), {
    ...settings,
    executablePath: CHROMIUM,
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-quic"],
    viewport: { width: 1280, height: 800 },
  });
}

async function openWidget(page) {
  const dialogs = [];
  page.on("dialog", async (dialog) => { dialogs.push(dialog.message()); await dialog.dismiss(); });
  const errors = [];
  page.on("pageerror", (error) => errors.push(String(error)));
  // Everything must come from this machine: no CDN, font or script from elsewhere.
  page.on("request", (request) => {
    const host = new URL(request.url()).hostname;
    if (!["localhost", "127.0.0.1"].includes(host) && !request.url().startsWith("data:")) errors.push(`request to ${request.url()}`);
  });
  await page.goto(WEB_URL);
  await page.getByTestId("pacewise-panel").waitFor({ state: "visible" });
  await page.getByTestId("pacewise-send").waitFor({ state: "visible" });
  await page.waitForFunction(() => window.PacewiseWidget && window.PacewiseWidget.connected, null, { timeout: BOT_TIMEOUT });
  return { dialogs, errors };
}

const botMessages = (page) => page.locator('[data-testid="pacewise-message"][data-role="bot"]');
const userMessages = (page) => page.locator('[data-testid="pacewise-message"][data-role="user"]');

async function send(page, text) {
  const before = await botMessages(page).count();
  await page.getByTestId("pacewise-input").fill(text);
  await page.getByTestId("pacewise-input").press("Enter");
  await waitForNewBotMessage(page, before);
}

async function waitForNewBotMessage(page, before) {
  const deadline = Date.now() + BOT_TIMEOUT;
  while ((await botMessages(page).count()) <= before) {
    check(Date.now() < deadline, `no reply from the bot within ${BOT_TIMEOUT / 1000} s`);
    await page.waitForTimeout(100);
  }
  await page.waitForTimeout(700); // the rest of a multi-part reply
}

async function lastBotText(page, howMany = 4) {
  const texts = await botMessages(page).allInnerTexts();
  return texts.slice(-howMany).join("\n");
}

async function shot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });
}

const scenarios = {
  // Ask a topic in your own words, see the content, follow a related-topic button.
  async topic_and_related_button(page) {
    const { errors } = await openWidget(page);
    await send(page, "why does my back still hurt when the scan was clear?");
    const answer = await lastBotText(page);
    check(/Why pain can last|scan/i.test(answer), `no topic answer in: ${answer}`);
    check(await botMessages(page).locator("strong").count() > 0, "Markdown bold was not rendered");
    await shot(page, "topic-answer");

    const buttons = page.getByTestId("pacewise-quick-reply");
    const titles = await buttons.allInnerTexts();
    const related = titles.findIndex((title) => !/tell me more/i.test(title));
    check(related >= 0, `no related-topic button among ${titles}`);
    const before = await botMessages(page).count();
    await buttons.nth(related).click();
    await waitForNewBotMessage(page, before);
    const relatedAnswer = await lastBotText(page);
    check(relatedAnswer.includes(titles[related].trim()), `clicking "${titles[related]}" gave: ${relatedAnswer}`);
    check((await userMessages(page).allInnerTexts()).some((t) => t.includes(titles[related].trim())), "the button title is not shown as the patient's message");
    check(errors.length === 0, `page errors: ${errors}`);
    await shot(page, "related-topic");
  },

  // The first message of the session carries the notice; the conversation survives a reload.
  async reload_keeps_the_conversation(page) {
    await openWidget(page);
    await send(page, "I always overdo it on good days and then crash for days");
    const notice = (await botMessages(page).allInnerTexts()).join("\n");
    check(/cannot diagnose or treat you/.test(notice) && notice.includes("999"), `no session notice in: ${notice}`);
    const countBefore = await botMessages(page).count();
    const sessionBefore = await page.evaluate(() => window.localStorage.getItem("pacewise.session_id"));

    await page.reload();
    await openWidget(page);
    check(await page.evaluate(() => window.localStorage.getItem("pacewise.session_id")) === sessionBefore, "a new session started after the reload");
    check(await botMessages(page).count() >= countBefore, "the conversation was not shown again after the reload");
    check((await userMessages(page).allInnerTexts()).some((t) => t.includes("overdo it on good days")), "the patient's message was lost");
    // The server remembers the topic too: "tell me more" continues it.
    await send(page, "tell me more");
    const more = await lastBotText(page, 8);
    check(/Sources/.test(more), `"tell me more" after the reload gave: ${more}`);
    // Markdown from the content: lists and source links, links opening safely in a new tab.
    check(await botMessages(page).locator("li").count() > 0, "Markdown lists were not rendered");
    const link = botMessages(page).locator('a[href^="https://doi.org/"]').first();
    check(await link.count() > 0, "source links were not rendered as links");
    check((await link.getAttribute("rel") || "").includes("noopener"), "links open without rel=noopener");
    await shot(page, "after-reload");
  },

  // Neither the patient's nor the bot's text can run script.
  async html_is_shown_as_text(page) {
    const { dialogs } = await openWidget(page);
    const attack = "<img src=x onerror=alert(1)>";
    await send(page, attack);
    const shown = await userMessages(page).allInnerTexts();
    check(shown.some((t) => t.includes(attack)), `the message was not shown as text: ${shown}`);
    const injected = await page.evaluate(() => [...document.querySelectorAll("*")].filter((e) => e.shadowRoot)
      .flatMap((e) => [...e.shadowRoot.querySelectorAll('img[src="x"], img[src$="/x"]')]).length + document.querySelectorAll('img[src="x"]').length);
    check(injected === 0, "an <img> element was created from the message");
    await page.waitForTimeout(500);
    check(dialogs.length === 0, `script ran: alert(${dialogs})`);
    await shot(page, "html-as-text");
  },

  // Keyboard only: Tab to the input, Enter to send, Escape closes and returns focus.
  async keyboard_and_screen_reader(page) {
    await openWidget(page);
    const log = page.getByTestId("pacewise-log");
    check(await log.getAttribute("role") === "log" && await log.getAttribute("aria-live") === "polite", "the message list is not a polite live region");
    await page.getByTestId("pacewise-input").focus();
    await page.keyboard.type("what is pacing?");
    const before = await botMessages(page).count();
    await page.keyboard.press("Enter");
    await waitForNewBotMessage(page, before);
    await page.keyboard.press("Escape");
    await page.getByTestId("pacewise-panel").waitFor({ state: "hidden" });
    const focused = await page.evaluate(() => {
      const host = [...document.querySelectorAll("*")].find((e) => e.shadowRoot);
      const active = host.shadowRoot.activeElement;
      return active && active.getAttribute("data-testid");
    });
    check(focused === "pacewise-launcher", `focus went to ${focused}, not the launcher`);
    check(await page.getByTestId("pacewise-launcher").getAttribute("aria-expanded") === "false", "launcher aria-expanded not updated");
    await page.keyboard.press("Enter");
    await page.getByTestId("pacewise-panel").waitFor({ state: "visible" });
    // Text contrast of messages and buttons: at least 4.5:1 (WCAG AA).
    const ratios = await page.evaluate(() => {
      const host = [...document.querySelectorAll("*")].find((e) => e.shadowRoot);
      const parse = (c) => (c.match(/[\d.]+/g) || []).slice(0, 4).map(Number);
      const lum = ([r, g, b]) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
      const background = (el) => { for (let e = el; e; e = e.parentElement || (e.getRootNode() && e.getRootNode().host)) { const c = parse(getComputedStyle(e).backgroundColor); if (c.length === 3 || c[3] > 0) return c; } return [255, 255, 255]; };
      return [...host.shadowRoot.querySelectorAll('[data-testid="pacewise-message"] p, [data-testid="pacewise-message"] li, button, input')].filter((el) => el.offsetParent !== null).map((el) => {
        const [a, b] = [lum(parse(getComputedStyle(el).color)), lum(background(el))];
        return { what: el.tagName + ":" + (el.textContent || "").slice(0, 20), ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05) };
      });
    });
    const low = ratios.filter((r) => r.ratio < 4.5);
    check(ratios.length > 0 && low.length === 0, `low contrast: ${JSON.stringify(low)}`);
    await shot(page, "keyboard");
  },

  // A phone-sized screen: the open panel fills the screen and still works.
  async phone_sized_screen(page) {
    await page.setViewportSize({ width: 375, height: 667 });
    await openWidget(page);
    const box = await page.getByTestId("pacewise-panel").boundingBox();
    check(box && box.width >= 370 && box.height >= 600, `panel is ${JSON.stringify(box)} on a 375x667 screen`);
    await send(page, "is it safe to exercise when my knee hurts?");
    const input = await page.getByTestId("pacewise-input").boundingBox();
    check(input && input.y + input.height <= 667, "the input is off screen");
    await shot(page, "phone");
  },

  // The server goes away and comes back: the widget says so plainly, keeps the typed text, then carries on.
  async reconnects_after_a_server_restart(page) {
    await openWidget(page);
    await send(page, "what is graded activity?");
    console.log("WAITING_FOR_RESTART");
    await page.getByTestId("pacewise-status").waitFor({ state: "visible", timeout: 60000 });
    const status = await page.getByTestId("pacewise-status").innerText();
    check(/can.t reach pacewise/i.test(status), `unclear offline message: ${status}`);
    await page.getByTestId("pacewise-input").fill("how do I pace my gardening?");
    check(await page.getByTestId("pacewise-send").isDisabled(), "sending is possible while offline");
    await shot(page, "offline");
    console.log("SAW_OFFLINE");
    await page.getByTestId("pacewise-status").waitFor({ state: "hidden", timeout: 180000 });
    check(await page.getByTestId("pacewise-input").inputValue() === "how do I pace my gardening?", "the typed text was lost");
    const before = await botMessages(page).count();
    await page.getByTestId("pacewise-input").press("Enter");
    await waitForNewBotMessage(page, before);
    check(/pac/i.test(await lastBotText(page)), "no answer after reconnecting");
    await shot(page, "reconnected");
  },
};

// Against tests/web/fake_rasa_socketio.py: the 0-10 scale appears when the bot asks for a score.
scenarios.pain_scale = async (page) => {
  await openWidget(page);
  await send(page, "I'd like to log my pain");
  const seven = page.getByTestId("pacewise-pain-7");
  await seven.waitFor({ state: "visible" });
  for (let n = 0; n <= 10; n += 1) check(await page.getByTestId(`pacewise-pain-${n}`).isVisible(), `no ${n} on the scale`);
  await shot(page, "pain-scale");
  const before = await botMessages(page).count();
  await seven.focus();
  await page.keyboard.press("Enter");
  await waitForNewBotMessage(page, before);
  check((await userMessages(page).allInnerTexts()).some((t) => t.trim().endsWith("7")), "the chosen score is not shown as the patient's answer");
  check(await seven.isDisabled(), "the scale can be used twice");
};

// Against tests/web/fake_rasa_socketio.py: every case of the Markdown subset's table (tests/markdown_subset.json,
// which the Python channel tests read too) renders as its "widget" column says. With PACEWISE_MARKDOWN_OUT set,
// what the widget rendered is written there as JSON as well.
scenarios.markdown_table = async (page) => {
  const table = JSON.parse(readFileSync(new URL("../markdown_subset.json", import.meta.url), "utf8"));
  const { errors, dialogs } = await openWidget(page);
  const before = await botMessages(page).count();
  await page.getByTestId("pacewise-input").fill("show the markdown table");
  await page.getByTestId("pacewise-input").press("Enter");
  const deadline = Date.now() + BOT_TIMEOUT;
  while ((await botMessages(page).count()) < before + table.cases.length) {
    check(Date.now() < deadline, "the table's messages did not all arrive");
    await page.waitForTimeout(100);
  }
  const rendered = await botMessages(page).locator(".pw-bubble").evaluateAll((bubbles) => bubbles.map((bubble) => bubble.innerHTML));
  const got = rendered.slice(-table.cases.length);
  if (process.env.PACEWISE_MARKDOWN_OUT) writeFileSync(process.env.PACEWISE_MARKDOWN_OUT, JSON.stringify(got, null, 2));
  const wrong = table.cases.flatMap((testCase, i) => (got[i] === testCase.widget ? [] : [`${testCase.name}:\n  expected ${testCase.widget}\n  got      ${got[i]}`]));
  check(wrong.length === 0, `rendered differently from the table:\n${wrong.join("\n")}`);
  check(errors.length === 0 && dialogs.length === 0, `page errors or dialogs: ${errors} ${dialogs}`);
  await shot(page, "markdown-table");
};

// With the real bot: a score logged with the scale (stored at once), a tap on Skip, then the diary's chart shown.
scenarios.pain_diary = async (page) => {
  await openWidget(page);
  await send(page, "I'd like to log my pain");
  const six = page.getByTestId("pacewise-pain-6");
  await six.waitFor({ state: "visible", timeout: BOT_TIMEOUT });
  let before = await botMessages(page).count();
  await six.click();
  await waitForNewBotMessage(page, before);
  const logged = await lastBotText(page);
  check(logged.includes("logged your pain as 6 out of 10"), `not logged when given: ${logged}`);
  const skip = page.getByTestId("pacewise-quick-reply").filter({ hasText: "Skip" }).last();
  await skip.waitFor({ state: "visible" });
  before = await botMessages(page).count();
  await skip.click();
  await waitForNewBotMessage(page, before);
  const kept = await lastBotText(page);
  check(kept.includes("your 6 out of 10 is logged"), `skipping lost the score: ${kept}`);
  await send(page, "how has my pain been?");
  const chart = page.locator("img.pw-image").last();
  await chart.waitFor({ state: "visible", timeout: BOT_TIMEOUT });
  await page.waitForFunction((image) => image.complete && image.naturalWidth > 0, await chart.elementHandle(), { timeout: BOT_TIMEOUT });
  check(/Last week: 1 entry/.test(await lastBotText(page)), "no summary in words");
  await shot(page, "pain-diary-chart");
};

// A check-in asked for in the widget (by a patient whose browser is in Sydney) waits for the patient's next visit. The test makes it fall due
// (it runs the scheduler with a simulated time) between the two visits, then writes "GO" on stdin.
scenarios.check_in_on_next_visit = async (page) => {
  await openWidget(page);
  await send(page, "could you remind me every evening at 7pm to log my pain? I keep forgetting");
  const confirmed = await lastBotText(page);
  // The browser is in Sydney: the check-in is at 7pm there, not at the clinic's 7pm.
  check(confirmed.includes("every day at 19:00 (Sydney time)") && confirmed.includes("waiting the next time you open it"), `not set up: ${confirmed}`);
  const sessionId = await page.evaluate(() => window.localStorage.getItem("pacewise.session_id"));
  console.log(`OPTED_IN ${sessionId}`);
  const lines = readline.createInterface({ input: process.stdin });
  for await (const line of lines) if (line.trim() === "GO") break;
  lines.close();
  process.stdin.destroy(); // nothing more to read: let the process end when the scenario does
  const before = await botMessages(page).count();
  await openWidget(page); // the patient opens the page again (one navigation: a second would race the first for the check-in)
  await page.getByText("check-in you asked for").last().waitFor({ state: "visible", timeout: BOT_TIMEOUT });
  const six = page.getByTestId("pacewise-pain-6").last();
  await six.waitFor({ state: "visible", timeout: BOT_TIMEOUT });
  check((await lastBotText(page)).includes("stop check-ins"), "the check-in does not say how to stop");
  await shot(page, "check-in-on-next-visit");
  const count = await botMessages(page).count();
  await six.click();
  await waitForNewBotMessage(page, count);
  check((await lastBotText(page)).includes("logged your pain as 6 out of 10"), `the answer was not logged: ${await lastBotText(page)}`);
  check(count > before - 1, "the conversation was lost");
};

// The PEG-3 questionnaire: three items, each with the 0-10 scale; the second answered by tapping it.
scenarios.peg_questionnaire = async (page) => {
  await openWidget(page);
  await send(page, "could I fill in that PEG questionnaire now please");
  check((await lastBotText(page)).includes("Question 1 of 3"), `no first question: ${await lastBotText(page)}`);
  await send(page, "about a 7 on average");
  check((await lastBotText(page)).includes("Question 2 of 3"), `no second question: ${await lastBotText(page)}`);
  const labels = await page.getByTestId("pacewise-scale-labels").last().innerText();
  check(labels.includes("Does not interfere") && labels.includes("Completely interferes"), `the interference item has pain labels: ${labels}`);
  const six = page.getByTestId("pacewise-pain-6").last();
  await six.waitFor({ state: "visible", timeout: BOT_TIMEOUT });
  const before = await botMessages(page).count();
  await six.click();
  await waitForNewBotMessage(page, before);
  check((await lastBotText(page)).includes("Question 3 of 3"), `no third question: ${await lastBotText(page)}`);
  await send(page, "8");
  const result = await lastBotText(page);
  check(result.includes("Your PEG score is 7.0 out of 10"), `no PEG score: ${result}`);
  await shot(page, "peg-questionnaire");
};

// A score and a question in one message: logged first, then answered, in one turn.
scenarios.score_with_a_question = async (page) => {
  await openWidget(page);
  const before = await botMessages(page).count();
  await send(page, "my knee's at a 7 today, what do I do in a flare?");
  await waitForNewBotMessage(page, before + 1); // two replies: the score logged, then the answer
  const texts = (await botMessages(page).allInnerTexts()).slice(before);
  const logged = texts.findIndex((text) => text.includes("logged your pain as 7 out of 10"));
  const answered = texts.findIndex((text) => text.includes("Coping with a flare-up"));
  check(logged >= 0 && answered > logged, `not logged then answered: ${texts.join(" | ")}`);
  await shot(page, "score-with-a-question");
};

// Red flags and crisis reach the widget like any other reply.
scenarios.crisis_support = async (page) => {
  await openWidget(page);
  await send(page, "honestly I just want to end it all");
  const text = await lastBotText(page, 6);
  check(text.includes("116 123") && text.includes("999"), `no crisis support in: ${text}`);
  await shot(page, "crisis-support");
};

const name = process.argv[2];
if (!scenarios[name]) {
  console.error(`unknown scenario ${name}; known: ${Object.keys(scenarios).join(", ")}`);
  process.exit(2);
}
const context = await launch(BROWSER_SETTINGS[name]);
try {
  const page = context.pages()[0] || (await context.newPage());
  await scenarios[name](page);
  console.log(`PASS ${name}`);
} catch (error) {
  const page = context.pages()[0];
  if (page) await page.screenshot({ path: path.join(SHOTS, `FAILED-${name}.png`) }).catch(() => {});
  console.error(`FAIL ${name}: ${error.stack || error}`);
  process.exitCode = 1;
} finally {
  await context.close();
}
