/*!
 * Pacewise chat widget: a website chat panel for the Pacewise Rasa bot.
 *
 * Embed with one script tag:
 *   <script src="https://HOST/widget/pacewise-widget.js"
 *           data-pacewise-server="https://rasa.example" data-pacewise-open="true" defer></script>
 *
 * Talks to Rasa's socketio channel (session_persistence: true). Renders inside a
 * Shadow DOM so the host page's CSS and ours never meet. Bot and user text are
 * only ever inserted as DOM text nodes (never as HTML).
 */
(function () {
  "use strict";

  // ---------------------------------------------------------------------------
  // Constants
  // ---------------------------------------------------------------------------

  const SESSION_KEY = "pacewise.session_id";
  // The server signs the session id it hands out; without this token it will
  // not resume the session (another browser cannot claim a patient's id).
  const SESSION_TOKEN_KEY = "pacewise.session_token";
  const TRANSCRIPT_PREFIX = "pacewise.transcript.";
  const MAX_ENTRIES = 200;
  const MAX_INPUT_LENGTH = 2000;
  const MAX_TEXT_LENGTH = 20000;
  const MAX_BUTTONS = 20;
  const TYPING_TIMEOUT_MS = 30000;
  const SOCKET_IO_RETRY_MS = 5000;
  const CSS_TIMEOUT_MS = 4000;

  const TEXT = {
    launcher: "Chat with Pacewise",
    title: "Pacewise",
    subtitle: "Pain education",
    restart: "Start again",
    restartConfirm: "Start again? This clears the conversation saved on this device.",
    close: "Close chat",
    offline: "Can't reach Pacewise right now. Trying again…",
    typing: "Pacewise is typing…",
    inputLabel: "Type your message",
    send: "Send",
    botPrefix: "Pacewise said: ",
    userPrefix: "You said: ",
    repliesLabel: "Suggested replies",
    chosen: " (your answer)",
    newTab: " (opens in a new tab)",
    imageAlt: "Chart from Pacewise",
    painScale: "Pain score from 0, no pain, to 10, worst pain imaginable",
    painLow: "No pain",
    painHigh: "Worst pain",
    empty: "Ask a question about living with long-term pain to get started.",
    footer: "Pacewise gives education, not diagnosis. In an emergency call your local emergency number."
  };

  const LINK_PROTOCOLS = ["http:", "https:", "mailto:", "tel:"];
  const SVG_NS = "http://www.w3.org/2000/svg";

  // Loaded twice on one page (two script tags): keep the first widget only.
  if (window.PacewiseWidget) {
    return;
  }

  // Must be read now: document.currentScript is null once this script has run.
  const ownScript = document.currentScript ||
    document.querySelector('script[src*="pacewise-widget.js"]');

  // ---------------------------------------------------------------------------
  // Configuration from the script tag
  // ---------------------------------------------------------------------------

  function readConfig(script) {
    const src = (script && script.src) || window.location.href;
    // The script lives at <base>/widget/pacewise-widget.js.
    const base = new URL("../", src).href;
    return {
      cssUrl: new URL("widget/pacewise-widget.css", base).href,
      socketIoUrl: new URL("vendor/socket.io.min.js", base).href,
      server: parseServer(script && script.getAttribute("data-pacewise-server")),
      openOnLoad: !!script && script.getAttribute("data-pacewise-open") === "true"
    };
  }

  // socket.io reads a URL path as a namespace, so a server mounted under a path
  // (https://clinic.example/rasa) needs that path as the socket.io `path` option.
  function parseServer(value) {
    const fallback = { url: window.location.origin, path: null };
    if (!value || !value.trim()) {
      return fallback;
    }
    let url;
    try {
      url = new URL(value.trim(), window.location.href);
    } catch (error) {
      return fallback;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      return fallback;
    }
    const path = url.pathname.replace(/\/+$/, "");
    return { url: url.origin, path: path ? path + "/socket.io" : null };
  }

  // ---------------------------------------------------------------------------
  // Storage (localStorage can be missing or throw: private modes, blocked cookies)
  // ---------------------------------------------------------------------------

  const memoryStorage = {};

  function storageGet(key) {
    try {
      return window.localStorage.getItem(key);
    } catch (error) {
      return Object.prototype.hasOwnProperty.call(memoryStorage, key) ? memoryStorage[key] : null;
    }
  }

  function storageSet(key, value) {
    try {
      window.localStorage.setItem(key, value);
      return true;
    } catch (error) {
      if (!isStorageUnavailable()) {
        return false; // quota exceeded: let the caller shrink what it stores
      }
      memoryStorage[key] = value;
      return true;
    }
  }

  function storageRemove(key) {
    try {
      window.localStorage.removeItem(key);
    } catch (error) {
      // storage unavailable: nothing persisted there
    }
    delete memoryStorage[key];
  }

  function isStorageUnavailable() {
    try {
      return !window.localStorage;
    } catch (error) {
      return true;
    }
  }

  // ---------------------------------------------------------------------------
  // Session id
  // ---------------------------------------------------------------------------

  function isValidSessionId(value) {
    return typeof value === "string" && /^[A-Za-z0-9_-]{8,128}$/.test(value);
  }

  function newSessionId() {
    const cryptoApi = window.crypto;
    // randomUUID only exists in secure contexts (https, localhost).
    if (cryptoApi && typeof cryptoApi.randomUUID === "function") {
      return cryptoApi.randomUUID();
    }
    const bytes = new Uint8Array(16);
    if (cryptoApi && typeof cryptoApi.getRandomValues === "function") {
      cryptoApi.getRandomValues(bytes);
    } else {
      for (let i = 0; i < bytes.length; i += 1) {
        bytes[i] = Math.floor(Math.random() * 256);
      }
    }
    return Array.prototype.map.call(bytes, (byte) => (byte < 16 ? "0" : "") + byte.toString(16)).join("");
  }

  function loadOrCreateSessionId() {
    const stored = storageGet(SESSION_KEY);
    if (isValidSessionId(stored)) {
      return stored;
    }
    const created = newSessionId();
    storageSet(SESSION_KEY, created);
    return created;
  }

  // ---------------------------------------------------------------------------
  // Transcript entries: {role, text, buttons, image, painScale, disabled, chosen}
  // ---------------------------------------------------------------------------

  function transcriptKey(sessionId) {
    return TRANSCRIPT_PREFIX + sessionId;
  }

  function normaliseButtons(list) {
    if (!Array.isArray(list)) {
      return null;
    }
    const buttons = [];
    list.forEach((button) => {
      if (!button || typeof button !== "object") {
        return;
      }
      // Facebook-style quick replies can ask for a location or e-mail: not supported.
      if (button.content_type !== undefined && button.content_type !== "text") {
        return;
      }
      const title = typeof button.title === "string" ? button.title.trim() : "";
      if (!title) {
        return;
      }
      const payload = typeof button.payload === "string" && button.payload ? button.payload : title;
      buttons.push({ title: title.slice(0, 200), payload: payload.slice(0, MAX_INPUT_LENGTH) });
    });
    return buttons.length ? buttons.slice(0, MAX_BUTTONS) : null;
  }

  // Only http(s) images, or PNG data URLs (never SVG, which can carry scripts).
  function safeImageSrc(src) {
    if (typeof src !== "string") {
      return null;
    }
    const value = src.trim();
    if (/^data:image\/png[;,]/i.test(value)) {
      return value;
    }
    try {
      const url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch (error) {
      return null;
    }
  }

  function isPainScaleRequest(value) {
    return !!value && typeof value === "object" && value.input === "pain_scale";
  }

  function painScaleRequest(data) {
    const custom = data.custom && typeof data.custom === "object" ? data.custom : null;
    if (isPainScaleRequest(data.pacewise)) return data.pacewise;
    if (custom && isPainScaleRequest(custom.pacewise)) return custom.pacewise;
    if (custom && isPainScaleRequest(custom)) return custom;
    return null;
  }

  // The scale's end labels, when the question has its own ("Does not interfere"); else the pain ones.
  function scaleLabels(value) {
    const label = (text) => (typeof text === "string" && text.trim() ? text.trim().slice(0, 40) : null);
    const low = value && label(value.low);
    const high = value && label(value.high);
    return low && high ? { low: low, high: high } : null;
  }

  // Turns one "bot_uttered" payload into a transcript entry, or null if there is
  // nothing we know how to show.
  function botEntryFrom(data) {
    if (!data || typeof data !== "object") {
      return null;
    }
    const entry = { role: "bot" };
    if (typeof data.text === "string" && data.text.trim()) {
      entry.text = data.text.slice(0, MAX_TEXT_LENGTH);
    }
    const buttons = normaliseButtons(data.quick_replies) || normaliseButtons(data.buttons);
    if (buttons) {
      entry.buttons = buttons;
    }
    const attachment = data.attachment;
    if (attachment && typeof attachment === "object" && attachment.type === "image" &&
        attachment.payload && typeof attachment.payload === "object") {
      const src = safeImageSrc(attachment.payload.src);
      if (src) {
        entry.image = src;
      }
    }
    const scale = painScaleRequest(data);
    if (scale) {
      entry.painScale = true;
      const labels = scaleLabels(scale);
      if (labels) {
        entry.scaleLabels = labels;
      }
    }
    return entry.text || entry.buttons || entry.image || entry.painScale ? entry : null;
  }

  // Stored data is re-validated: it may be old, edited or corrupted.
  function sanitiseStoredEntry(raw) {
    if (!raw || typeof raw !== "object" || (raw.role !== "bot" && raw.role !== "user")) {
      return null;
    }
    const entry = { role: raw.role };
    if (typeof raw.text === "string" && raw.text) {
      entry.text = raw.text.slice(0, MAX_TEXT_LENGTH);
    }
    if (raw.role === "bot") {
      const buttons = normaliseButtons(raw.buttons);
      if (buttons) {
        entry.buttons = buttons;
      }
      const image = safeImageSrc(raw.image);
      if (image) {
        entry.image = image;
      }
      if (raw.painScale === true) {
        entry.painScale = true;
        const labels = scaleLabels(raw.scaleLabels);
        if (labels) {
          entry.scaleLabels = labels;
        }
      }
      if (raw.disabled === true) {
        entry.disabled = true;
      }
      if (typeof raw.chosen === "string") {
        entry.chosen = raw.chosen;
      }
    }
    return entry.text || entry.buttons || entry.image || entry.painScale ? entry : null;
  }

  function loadTranscript(sessionId) {
    const raw = storageGet(transcriptKey(sessionId));
    if (!raw) {
      return [];
    }
    try {
      const parsed = JSON.parse(raw);
      return Array.isArray(parsed)
        ? parsed.map(sanitiseStoredEntry).filter(Boolean).slice(-MAX_ENTRIES)
        : [];
    } catch (error) {
      return [];
    }
  }

  // If storage is full (chart images are big), keep fewer entries rather than none.
  function saveTranscript() {
    const key = transcriptKey(state.sessionId);
    const sizes = [MAX_ENTRIES, 100, 50, 20];
    for (let i = 0; i < sizes.length; i += 1) {
      if (storageSet(key, JSON.stringify(state.entries.slice(-sizes[i])))) {
        return;
      }
    }
  }

  // ---------------------------------------------------------------------------
  // Safe Markdown: builds DOM nodes; text only ever goes into text nodes.
  // ---------------------------------------------------------------------------

  const HEADING_LINE = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/;
  // The subset is specified once, in tests/markdown_subset.json (read by the Python channel tests too).
  const BULLET_LINE = /^\s*[-*+]\s+(.*)$/;
  const NUMBERED_LINE = /^\s*(\d{1,9})[.)]\s+(.*)$/;

  // Groups: 1-2 link text and URL, 3 ***bold italic***, 4 **bold**, 5 __bold__, 6 *italic*, 7 _italic_, 8 bare URL.
  const INLINE_PATTERN = [
    "\\[([^\\[\\]\\n]+)\\]\\(\\s*((?:[^()\\s]|\\([^()\\s]*\\))+)(?:\\s+\"[^\"\\n]*\")?\\s*\\)",
    "\\*\\*\\*(?=\\S)([\\s\\S]*?\\S)\\*\\*\\*",
    "\\*\\*(?=\\S)([\\s\\S]*?\\S)\\*\\*",
    "__(?=\\S)([\\s\\S]*?\\S)__",
    "\\*(?=[^\\s*])([^*\\n]*?[^\\s*])\\*",
    "_(?=[^\\s_])([^_\\n]*?[^\\s_])_",
    "(https?:\\/\\/[^\\s<>\"]+)"
  ].join("|");
  const MAX_INLINE_DEPTH = 4;

  function renderMarkdown(text) {
    const fragment = document.createDocumentFragment();
    let paragraph = null;
    let list = null;
    let lastItem = null;

    function endBlock() {
      paragraph = null;
      list = null;
      lastItem = null;
    }

    function addListItem(tagName, content, start) {
      if (!list || list.tagName.toLowerCase() !== tagName) {
        paragraph = null;
        list = document.createElement(tagName);
        if (tagName === "ol" && start && start !== "1") {
          list.start = parseInt(start, 10);
        }
        fragment.appendChild(list);
      }
      const item = document.createElement("li");
      appendInline(item, content, 0, false);
      list.appendChild(item);
      return item;
    }

    text.replace(/\r\n?/g, "\n").split("\n").forEach((line) => {
      let match;
      if (!line.trim()) {
        endBlock();
      } else if ((match = HEADING_LINE.exec(line))) {
        endBlock();
        const heading = document.createElement("h3");
        heading.className = "pw-md-heading";
        appendInline(heading, match[1], 0, false);
        fragment.appendChild(heading);
      } else if ((match = BULLET_LINE.exec(line))) {
        lastItem = addListItem("ul", match[1]);
      } else if ((match = NUMBERED_LINE.exec(line))) {
        lastItem = addListItem("ol", match[2], match[1]);
      } else if (lastItem && /^\s/.test(line)) {
        // An indented line continues the list item above it.
        lastItem.appendChild(document.createElement("br"));
        appendInline(lastItem, line.trim(), 0, false);
      } else {
        list = null;
        lastItem = null;
        if (paragraph) {
          paragraph.appendChild(document.createElement("br"));
        } else {
          paragraph = document.createElement("p");
          fragment.appendChild(paragraph);
        }
        appendInline(paragraph, line.trim(), 0, false);
      }
    });
    return fragment;
  }

  function appendText(parent, text) {
    if (text) {
      parent.appendChild(document.createTextNode(text));
    }
  }

  function isWordChar(character) {
    return !!character && /[A-Za-z0-9]/.test(character);
  }

  // snake_case_words and 2*3*4 must not turn into italics.
  function isIntraword(text, start, end) {
    return isWordChar(text.charAt(start - 1)) || isWordChar(text.charAt(end));
  }

  function appendInline(parent, text, depth, insideLink) {
    if (depth > MAX_INLINE_DEPTH) {
      appendText(parent, text);
      return;
    }
    // A fresh RegExp per call: the recursion must not share lastIndex.
    const pattern = new RegExp(INLINE_PATTERN, "g");
    let done = 0;
    let match;
    while ((match = pattern.exec(text))) {
      const start = match.index;
      let end = pattern.lastIndex;

      if (match[8] !== undefined) {
        if (insideLink) {
          continue; // no links inside links: stays plain text
        }
        const url = trimUrl(match[8]);
        end = start + url.length;
        pattern.lastIndex = end;
        const href = safeHref(url);
        if (!href) {
          continue;
        }
        appendText(parent, text.slice(done, start));
        parent.appendChild(makeLink(href, url));
        done = end;
        continue;
      }

      if ((match[5] !== undefined || match[6] !== undefined || match[7] !== undefined) && isIntraword(text, start, end)) {
        pattern.lastIndex = start + 1;
        continue;
      }

      appendText(parent, text.slice(done, start));
      if (match[1] !== undefined) {
        const href = insideLink ? null : safeHref(match[2]);
        if (href) {
          const link = makeLink(href, null);
          appendInline(link, match[1], depth + 1, true);
          appendLinkHint(link, href);
          parent.appendChild(link);
        } else {
          // Unsafe or unsupported link: show its text only.
          appendInline(parent, match[1], depth + 1, insideLink);
        }
      } else if (match[3] !== undefined) {
        const strong = document.createElement("strong");
        const emphasis = document.createElement("em");
        appendInline(emphasis, match[3], depth + 1, insideLink);
        strong.appendChild(emphasis);
        parent.appendChild(strong);
      } else if (match[4] !== undefined || match[5] !== undefined) {
        const strong = document.createElement("strong");
        appendInline(strong, match[4] !== undefined ? match[4] : match[5], depth + 1, insideLink);
        parent.appendChild(strong);
      } else {
        const emphasis = document.createElement("em");
        appendInline(emphasis, match[6] !== undefined ? match[6] : match[7], depth + 1, insideLink);
        parent.appendChild(emphasis);
      }
      done = end;
    }
    appendText(parent, text.slice(done));
  }

  // A URL at the end of a sentence should not swallow the full stop or a closing bracket.
  function trimUrl(url) {
    let result = url;
    for (;;) {
      const last = result.charAt(result.length - 1);
      if (".,;:!?'\"\u2019\u201d*_]".indexOf(last) >= 0) {
        result = result.slice(0, -1);
      } else if (last === ")" && countOf(result, "(") < countOf(result, ")")) {
        result = result.slice(0, -1);
      } else {
        return result;
      }
    }
  }

  function countOf(text, character) {
    return text.split(character).length - 1;
  }

  // Absolute URLs with an allowed protocol only; relative ones are rejected too.
  function safeHref(raw) {
    let url;
    try {
      url = new URL(String(raw).trim());
    } catch (error) {
      return null;
    }
    return LINK_PROTOCOLS.indexOf(url.protocol) >= 0 ? url.href : null;
  }

  function isWebUrl(href) {
    return /^https?:/i.test(href);
  }

  function makeLink(href, label) {
    const link = document.createElement("a");
    link.href = href;
    link.rel = "noopener noreferrer";
    // Web pages open in a new tab; mailto:/tel: go straight to the mail or phone
    // app (a new tab there just leaves an empty tab behind on some phones).
    if (isWebUrl(href)) {
      link.target = "_blank";
    }
    if (label !== null) {
      link.textContent = label;
      appendLinkHint(link, href);
    }
    return link;
  }

  function appendLinkHint(link, href) {
    if (isWebUrl(href)) {
      link.appendChild(visuallyHidden(TEXT.newTab));
    }
  }

  // ---------------------------------------------------------------------------
  // DOM helpers
  // ---------------------------------------------------------------------------

  // Creates an element. props: className, text, hidden, or any attribute.
  function h(tagName, props, children) {
    const node = document.createElement(tagName);
    Object.keys(props || {}).forEach((key) => {
      const value = props[key];
      if (value === null || value === undefined || value === false) {
        return;
      }
      if (key === "className") {
        node.className = value;
      } else if (key === "text") {
        node.textContent = value;
      } else if (key === "hidden") {
        node.hidden = true;
      } else {
        node.setAttribute(key, value === true ? "" : String(value));
      }
    });
    (children || []).forEach((child) => {
      if (child) {
        node.appendChild(child);
      }
    });
    return node;
  }

  function visuallyHidden(text) {
    return h("span", { className: "pw-sr-only", text: text });
  }

  function icon(pathData, className) {
    const svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", className);
    const path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", pathData);
    svg.appendChild(path);
    return svg;
  }

  function removeChildren(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
  }

  // ---------------------------------------------------------------------------
  // State
  // ---------------------------------------------------------------------------

  const state = {
    config: null,
    sessionId: null,
    socket: null,
    connected: false,
    restarting: false,
    websocketFirst: true,
    open: false,
    entries: [],
    elements: new Map(), // entry -> its message element
    typingTimer: null,
    ui: null
  };

  // ---------------------------------------------------------------------------
  // Building the widget
  // ---------------------------------------------------------------------------

  function buildUi(shadow, cssUrl) {
    const ui = {};

    ui.stylesheet = h("link", { rel: "stylesheet", href: cssUrl });

    ui.launcher = h("button", {
      className: "pw-launcher",
      type: "button",
      "aria-expanded": "false",
      "aria-controls": "pacewise-panel",
      "data-testid": "pacewise-launcher"
    }, [
      icon("M5 3h14a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2h-9l-5 4v-4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z", "pw-icon"),
      h("span", { className: "pw-launcher-text", text: TEXT.launcher })
    ]);

    ui.restart = h("button", {
      className: "pw-text-button",
      type: "button",
      "data-testid": "pacewise-restart",
      text: TEXT.restart
    });
    ui.close = h("button", {
      className: "pw-icon-button",
      type: "button",
      "aria-label": TEXT.close
    }, [icon("M6 6l12 12M18 6L6 18", "pw-icon pw-icon-stroke")]);

    const header = h("div", { className: "pw-header" }, [
      h("div", { className: "pw-heading" }, [
        h("h2", { className: "pw-title", text: TEXT.title }),
        h("p", { className: "pw-subtitle", text: TEXT.subtitle })
      ]),
      ui.restart,
      ui.close
    ]);

    ui.status = h("div", {
      className: "pw-status",
      role: "status",
      "data-testid": "pacewise-status"
    });

    ui.empty = h("p", { className: "pw-empty", text: TEXT.empty });
    ui.log = h("div", {
      className: "pw-log",
      role: "log",
      "aria-live": "polite",
      "aria-relevant": "additions",
      "data-testid": "pacewise-log"
    });
    ui.typing = h("div", { className: "pw-typing", "data-testid": "pacewise-typing", hidden: true }, [
      visuallyHidden(TEXT.typing),
      h("span", { className: "pw-dots", "aria-hidden": "true" }, [h("span"), h("span"), h("span")])
    ]);
    ui.scroller = h("div", { className: "pw-scroll" }, [
      ui.empty,
      ui.log,
      // Its own polite region so screen readers hear "typing" without it joining the log.
      h("div", { "aria-live": "polite" }, [ui.typing])
    ]);

    ui.input = h("input", {
      id: "pacewise-input",
      className: "pw-input",
      type: "text",
      maxlength: MAX_INPUT_LENGTH,
      autocomplete: "off",
      enterkeyhint: "send",
      placeholder: TEXT.inputLabel,
      "data-testid": "pacewise-input"
    });
    ui.send = h("button", {
      className: "pw-send",
      type: "submit",
      "data-testid": "pacewise-send",
      text: TEXT.send
    });
    ui.form = h("form", { className: "pw-form", novalidate: true }, [
      h("label", { className: "pw-sr-only", for: "pacewise-input", text: TEXT.inputLabel }),
      ui.input,
      ui.send
    ]);

    ui.panel = h("div", {
      id: "pacewise-panel",
      className: "pw-panel",
      role: "dialog",
      "aria-label": TEXT.launcher,
      "data-testid": "pacewise-panel",
      hidden: true
    }, [
      header,
      ui.status,
      ui.scroller,
      ui.form,
      h("p", { className: "pw-footer", text: TEXT.footer })
    ]);

    // Hidden until the style sheet arrives, so the page never shows it unstyled.
    ui.root = h("div", { className: "pw-root", hidden: true }, [ui.launcher, ui.panel]);

    shadow.appendChild(ui.stylesheet);
    shadow.appendChild(ui.root);
    return ui;
  }

  function revealWhenStyled(ui) {
    let revealed = false;
    function reveal() {
      if (!revealed) {
        revealed = true;
        ui.root.hidden = false;
        if (state.open) {
          scrollToEnd();
        }
      }
    }
    ui.stylesheet.addEventListener("load", reveal);
    ui.stylesheet.addEventListener("error", reveal); // unstyled but usable beats invisible
    window.setTimeout(reveal, CSS_TIMEOUT_MS);
  }

  function bindUi(ui) {
    ui.launcher.addEventListener("click", () => {
      if (state.open) {
        closePanel();
      } else {
        openPanel(true);
      }
    });
    ui.close.addEventListener("click", closePanel);
    ui.restart.addEventListener("click", startAgain);
    ui.form.addEventListener("submit", (event) => {
      event.preventDefault();
      sendTypedMessage();
    });
    ui.root.addEventListener("keydown", (event) => {
      if ((event.key === "Escape" || event.key === "Esc") && state.open) {
        event.preventDefault();
        closePanel();
      }
    });
  }

  // ---------------------------------------------------------------------------
  // Panel open / close
  // ---------------------------------------------------------------------------

  function openPanel(moveFocus) {
    const ui = state.ui;
    state.open = true;
    ui.panel.hidden = false;
    ui.root.classList.add("pw-is-open");
    ui.launcher.setAttribute("aria-expanded", "true");
    scrollToEnd();
    if (moveFocus) {
      ui.input.focus();
    }
  }

  function closePanel() {
    const ui = state.ui;
    state.open = false;
    ui.panel.hidden = true;
    ui.root.classList.remove("pw-is-open");
    ui.launcher.setAttribute("aria-expanded", "false");
    ui.launcher.focus();
  }

  function scrollToEnd() {
    const scroller = state.ui.scroller;
    scroller.scrollTop = scroller.scrollHeight;
  }

  // ---------------------------------------------------------------------------
  // Rendering messages
  // ---------------------------------------------------------------------------

  function renderEntry(entry) {
    const isBot = entry.role === "bot";
    const message = h("div", {
      className: "pw-msg " + (isBot ? "pw-msg-bot" : "pw-msg-user"),
      "data-testid": "pacewise-message",
      "data-role": entry.role
    }, [visuallyHidden(isBot ? TEXT.botPrefix : TEXT.userPrefix)]);

    if (entry.text) {
      const bubble = h("div", { className: "pw-bubble" });
      if (isBot) {
        bubble.appendChild(renderMarkdown(entry.text));
      } else {
        bubble.textContent = entry.text; // exactly as typed, never parsed
      }
      message.appendChild(bubble);
    }
    if (entry.image) {
      const image = h("img", { className: "pw-image", alt: TEXT.imageAlt, src: entry.image });
      image.addEventListener("load", scrollToEnd);
      message.appendChild(h("div", { className: "pw-bubble pw-bubble-image" }, [image]));
    }
    if (entry.buttons) {
      message.appendChild(renderQuickReplies(entry));
    }
    if (entry.painScale) {
      message.appendChild(renderPainScale(entry));
    }
    return message;
  }

  function choiceButton(entry, className, label, payload, testId) {
    const chosen = entry.chosen === label;
    const button = h("button", {
      className: className + (chosen ? " pw-chosen" : ""),
      type: "button",
      "data-testid": testId,
      disabled: !!entry.disabled
    }, [document.createTextNode(label), chosen ? visuallyHidden(TEXT.chosen) : null]);
    button.addEventListener("click", (event) => chooseReply(entry, payload, label, event));
    return button;
  }

  function renderQuickReplies(entry) {
    return h("div", { className: "pw-replies", role: "group", "aria-label": TEXT.repliesLabel },
      entry.buttons.map((button) =>
        choiceButton(entry, "pw-reply", button.title, button.payload, "pacewise-quick-reply")));
  }

  function renderPainScale(entry) {
    const buttons = [];
    for (let score = 0; score <= 10; score += 1) {
      const value = String(score);
      buttons.push(choiceButton(entry, "pw-pain", value, value, "pacewise-pain-" + value));
    }
    const labels = entry.scaleLabels || { low: TEXT.painLow, high: TEXT.painHigh };
    const groupLabel = entry.scaleLabels ? "Score from 0, " + labels.low + ", to 10, " + labels.high : TEXT.painScale;
    return h("div", { className: "pw-scale" }, [
      h("div", { className: "pw-scale-buttons", role: "group", "aria-label": groupLabel }, buttons),
      h("div", { className: "pw-scale-labels", "aria-hidden": "true", "data-testid": "pacewise-scale-labels" }, [
        h("span", { text: labels.low }),
        h("span", { text: labels.high })
      ])
    ]);
  }

  function hasControls(entry) {
    return !!(entry.buttons || entry.painScale);
  }

  function addEntry(entry) {
    state.entries.push(entry);
    // Keep the last MAX_ENTRIES, on screen as in storage.
    while (state.entries.length > MAX_ENTRIES) {
      const dropped = state.entries.shift();
      const element = state.elements.get(dropped);
      if (element && element.parentNode) {
        element.parentNode.removeChild(element);
      }
      state.elements.delete(dropped);
    }
    const element = renderEntry(entry);
    state.elements.set(entry, element);
    state.ui.log.appendChild(element);
    state.ui.empty.hidden = true;
    saveTranscript();
    scrollToEnd();
  }

  function renderTranscript() {
    removeChildren(state.ui.log);
    state.elements.clear();
    state.entries.forEach((entry) => {
      const element = renderEntry(entry);
      state.elements.set(entry, element);
      state.ui.log.appendChild(element);
    });
    state.ui.empty.hidden = state.entries.length > 0;
  }

  // Old choices go stale: only the newest set of buttons (or pain scale) stays active.
  function disableAllControls() {
    let changed = false;
    state.entries.forEach((entry) => {
      if (hasControls(entry) && !entry.disabled) {
        entry.disabled = true;
        changed = true;
        const element = state.elements.get(entry);
        if (element) {
          Array.prototype.forEach.call(element.querySelectorAll("button"), (button) => {
            button.disabled = true;
          });
        }
      }
    });
    if (changed) {
      saveTranscript();
    }
  }

  function markChosen(entry, label) {
    entry.chosen = label;
    const element = state.elements.get(entry);
    if (!element) {
      return;
    }
    Array.prototype.forEach.call(element.querySelectorAll("button"), (button) => {
      if (button.firstChild && button.firstChild.nodeValue === label && !button.classList.contains("pw-chosen")) {
        button.classList.add("pw-chosen");
        button.appendChild(visuallyHidden(TEXT.chosen));
      }
    });
  }

  // ---------------------------------------------------------------------------
  // Typing indicator
  // ---------------------------------------------------------------------------

  function showTyping() {
    state.ui.typing.hidden = false;
    window.clearTimeout(state.typingTimer);
    state.typingTimer = window.setTimeout(hideTyping, TYPING_TIMEOUT_MS);
    scrollToEnd();
  }

  function hideTyping() {
    window.clearTimeout(state.typingTimer);
    state.typingTimer = null;
    state.ui.typing.hidden = true;
  }

  // ---------------------------------------------------------------------------
  // Sending
  // ---------------------------------------------------------------------------

  function canSend() {
    return state.connected && !!state.socket && state.socket.connected;
  }

  // The patient's own time zone, so check-ins they ask for come at their time (undefined if the browser won't say).
  function browserTimeZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
    } catch (error) {
      return undefined;
    }
  }

  // payload goes to Rasa; label is what the user sees in their bubble.
  function sendToBot(payload, label) {
    if (!canSend()) {
      return false;
    }
    state.socket.emit("user_uttered", { message: payload, session_id: state.sessionId, metadata: { time_zone: browserTimeZone() } });
    disableAllControls();
    addEntry({ role: "user", text: label });
    showTyping();
    return true;
  }

  function sendTypedMessage() {
    const input = state.ui.input;
    const text = input.value.slice(0, MAX_INPUT_LENGTH);
    if (!text.trim()) {
      return;
    }
    // While offline nothing is sent and the text stays in the box.
    if (sendToBot(text, text)) {
      input.value = "";
    }
    input.focus();
  }

  function chooseReply(entry, payload, label, event) {
    if (entry.disabled || !canSend()) {
      return;
    }
    markChosen(entry, label);
    sendToBot(payload, label);
    // The clicked button is now disabled and loses focus. Keyboard users (and
    // mouse users) continue in the input; on touch screens that would pop up
    // the keyboard, so leave focus alone there.
    const touch = window.matchMedia && window.matchMedia("(pointer: coarse)").matches;
    if (event.detail === 0 || !touch) {
      state.ui.input.focus();
    }
  }

  // ---------------------------------------------------------------------------
  // Start again
  // ---------------------------------------------------------------------------

  function startAgain() {
    if (!window.confirm(TEXT.restartConfirm)) {
      return;
    }
    storageRemove(transcriptKey(state.sessionId));
    storageRemove(SESSION_KEY);
    storageRemove(SESSION_TOKEN_KEY);
    state.entries = [];
    renderTranscript();
    hideTyping();
    state.sessionId = newSessionId();
    storageSet(SESSION_KEY, state.sessionId);
    // A fresh connection leaves the old session's room on the server; the
    // "connect" handler then asks for the new session.
    if (state.socket) {
      state.restarting = true;
      state.socket.disconnect();
      state.socket.connect();
    }
    state.ui.input.focus();
  }

  // ---------------------------------------------------------------------------
  // Connection
  // ---------------------------------------------------------------------------

  function setConnected(connected) {
    const ui = state.ui;
    state.connected = connected;
    ui.send.disabled = !connected;
    ui.root.classList.toggle("pw-offline", !connected);
    if (connected) {
      ui.status.hidden = true;
      ui.status.textContent = "";
    } else if (ui.status.hidden || !ui.status.textContent) {
      ui.status.hidden = false;
      ui.status.textContent = TEXT.offline;
    }
  }

  function loadSocketIo(url, onReady) {
    if (typeof window.io === "function") {
      onReady();
      return;
    }
    const script = document.createElement("script");
    script.src = url;
    script.async = true;
    script.addEventListener("load", () => {
      if (typeof window.io === "function") {
        onReady();
      } else if (window.console) {
        window.console.error("Pacewise: " + url + " loaded but did not define io().");
      }
    });
    script.addEventListener("error", () => {
      script.parentNode.removeChild(script);
      window.setTimeout(() => loadSocketIo(url, onReady), SOCKET_IO_RETRY_MS);
    });
    (document.head || document.documentElement).appendChild(script);
  }

  function connect() {
    const server = state.config.server;
    const options = {
      transports: ["websocket", "polling"],
      reconnection: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 5000
    };
    if (server.path) {
      options.path = server.path;
    }
    const socket = window.io(server.url, options);
    state.socket = socket;

    socket.on("connect", () => {
      state.restarting = false;
      // Sending is enabled once the server confirms the session (onSessionConfirm).
      socket.emit("session_request", { session_id: state.sessionId, session_token: storageGet(SESSION_TOKEN_KEY) });
    });
    socket.on("disconnect", (reason) => {
      // "Start again" reconnects at once: no need to alarm anyone.
      if (state.restarting && reason === "io client disconnect") {
        state.connected = false;
        state.ui.send.disabled = true;
        return;
      }
      setConnected(false);
      hideTyping();
      // socket.io does not reconnect by itself after a server-side disconnect.
      if (reason === "io server disconnect") {
        window.setTimeout(() => socket.connect(), 1000);
      }
    });
    socket.on("connect_error", () => {
      setConnected(false);
      alternateTransports(socket);
    });
    socket.on("session_confirm", onSessionConfirm);
    socket.on("bot_uttered", onBotUttered);
  }

  // If WebSockets are blocked (proxy, Content-Security-Policy), websocket-first
  // never connects; if HTTP polling lacks CORS, polling-first never does.
  // Alternating between the two on each failed attempt covers both.
  // (The order is tracked here: the browser build of socket.io replaces the
  // names in opts.transports with transport classes.)
  function alternateTransports(socket) {
    const opts = socket.io && socket.io.opts;
    if (opts) {
      state.websocketFirst = !state.websocketFirst;
      opts.transports = state.websocketFirst ? ["websocket", "polling"] : ["polling", "websocket"];
    }
  }

  function onSessionConfirm(data) {
    const confirmed = typeof data === "string" ? data
      : data && typeof data === "object" && typeof data.session_id === "string" ? data.session_id : null;
    const token = data && typeof data === "object" && typeof data.session_token === "string" ? data.session_token : null;
    // The server resumes our session or hands out a new one; follow it.
    if (confirmed && confirmed !== state.sessionId && isValidSessionId(confirmed)) {
      storageRemove(transcriptKey(state.sessionId));
      state.sessionId = confirmed;
      storageSet(SESSION_KEY, confirmed);
      saveTranscript();
    }
    if (token) {
      storageSet(SESSION_TOKEN_KEY, token);
    }
    setConnected(true);
  }

  function onBotUttered(data) {
    hideTyping();
    let entry;
    try {
      entry = botEntryFrom(data);
    } catch (error) {
      entry = null; // unknown shapes are ignored
    }
    if (!entry) {
      return;
    }
    if (hasControls(entry)) {
      disableAllControls();
    }
    addEntry(entry);
  }

  // ---------------------------------------------------------------------------
  // Start-up
  // ---------------------------------------------------------------------------

  function init() {
    const config = readConfig(ownScript);
    state.config = config;
    state.sessionId = loadOrCreateSessionId();
    state.entries = loadTranscript(state.sessionId);

    const host = document.createElement("pacewise-chat");
    host.id = "pacewise-widget";
    const shadow = host.attachShadow({ mode: "open" });
    state.ui = buildUi(shadow, config.cssUrl);
    bindUi(state.ui);
    // Rendered before the host joins the page, so screen readers do not
    // re-announce the old conversation as new.
    renderTranscript();
    setConnected(false);
    revealWhenStyled(state.ui);
    document.body.appendChild(host);

    if (config.openOnLoad) {
      openPanel(false); // never steal focus from the page on load
    }
    loadSocketIo(config.socketIoUrl, connect);
  }

  // For the page and for tests: whether the chat is connected. The session id
  // and its token stay inside the widget.
  window.PacewiseWidget = {
    get connected() {
      return Boolean(state.socket && state.socket.connected && state.connected);
    }
  };

  if (document.body) {
    init();
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
