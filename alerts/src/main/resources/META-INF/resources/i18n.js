'use strict';
// The page's language and the locale's conventions. The texts are in the message bundles /i18n/en.json and
// /i18n/fr.json, not in the scripts: an element's data-i18n names its text's key (data-i18n-label its
// aria-label's), a script asks t(key, values...). The language is the clinician's choice, kept in this browser,
// or else the browser's first language CardioWatch has, or else English.

const LOCALES = { en: 'en-GB', fr: 'fr-FR' };
const LANGUAGE_NAMES = { en: 'English', fr: 'Français' };
const LANGUAGE_KEY = 'cardiowatch.language';

function chosenLanguage() {
  const chosen = localStorage.getItem(LANGUAGE_KEY);
  if (chosen && LOCALES[chosen]) return chosen;
  for (const tag of navigator.languages || [navigator.language]) {
    const base = String(tag).slice(0, 2).toLowerCase();
    if (LOCALES[base]) return base;
  }
  return 'en';
}

const language = chosenLanguage();
const locale = LOCALES[language];
let messages = {};

// Pages render once their bundle is here.
const translated = fetch('/i18n/' + language + '.json', { credentials: 'same-origin' })
  .then(response => (response.ok ? response.json() : {}))
  .catch(() => ({}))
  .then(bundle => {
    messages = bundle;
    document.documentElement.lang = language;
    translatePage(document);
    addLanguageChoice();
  });

// The text of key in the page's language, {0}, {1}... replaced by values; the key itself when the bundle lacks it.
function t(key, ...values) {
  const template = Object.prototype.hasOwnProperty.call(messages, key) ? messages[key] : key;
  return template.replace(/\{(\d+)\}/g, (match, index) => (values[index] === undefined ? match : String(values[index])));
}

function translatePage(root) {
  root.querySelectorAll('[data-i18n]').forEach(element => { element.textContent = t(element.dataset.i18n); });
  root.querySelectorAll('[data-i18n-label]').forEach(element =>
    element.setAttribute('aria-label', t(element.dataset.i18nLabel)));
}

// A number with the locale's decimal separator (81,8 in French); one formatter per number of digits, made
// once, as charts ask on every move of the cursor.
const numberFormats = new Map();
function number(value, digits = 0) {
  if (!numberFormats.has(digits)) {
    numberFormats.set(digits, new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }));
  }
  return numberFormats.get(digits).format(value);
}

// The language picker in the header (and on the sign-in page): the choice is kept in this browser.
function addLanguageChoice() {
  const picker = document.getElementById('language');
  if (!picker || picker.options.length > 0) return;
  for (const [code, name] of Object.entries(LANGUAGE_NAMES)) {
    const option = new Option(name, code, false, code === language);
    option.lang = code;
    picker.add(option);
  }
  picker.addEventListener('change', () => {
    localStorage.setItem(LANGUAGE_KEY, picker.value);
    location.reload();
  });
}
