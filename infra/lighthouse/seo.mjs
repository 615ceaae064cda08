// Lighthouse's SEO category on several URLs in one Chromium: `node seo.mjs URL...`
// prints one JSON object {url: {score, failing: [{id, title, details}]}}.
// CHROME_PATH names the browser; CHROME_FLAGS (space-separated) its flags.
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const urls = process.argv.slice(2);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH,
  chromeFlags: (process.env.CHROME_FLAGS || "--headless --no-sandbox").split(" "),
});
const results = {};
try {
  for (const url of urls) {
    // Nothing here measures speed: no full-page screenshot, no about:blank first.
    const runner = await lighthouse(url, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: ["seo"],
      disableFullPageScreenshot: true,
      skipAboutBlank: true,
    });
    const { lhr } = runner;
    const category = lhr.categories.seo;
    const failing = category.auditRefs
      .map((ref) => lhr.audits[ref.id])
      .filter((audit) => audit.score !== null && audit.score < 1)
      .map((audit) => ({
        id: audit.id,
        title: audit.title,
        details: (audit.details?.items || []).slice(0, 5),
      }));
    results[url] = { score: category.score, failing, runtimeError: lhr.runtimeError?.message };
  }
} finally {
  await chrome.kill();
}
process.stdout.write(JSON.stringify(results));
