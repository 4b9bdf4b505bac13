// The support engineers' page, in the browser: no framework, bundled into one script at build
// (src/web/assets.ts). It streams a run over the same API as everyone else and keeps typed secrets
// only in the form: never in storage, cookies or the URL. Everything from a report is put in the
// page as text (DOM nodes), never as HTML.
import { initCheck } from './check.js';
import { initCoverage } from './coverage.js';
import { initHistory } from './history.js';
import { initReportActions } from './report.js';
import { initSetup } from './setup.js';
import { initTabs } from './tabs.js';
import { initWatch } from './watch.js';

initTabs();
initCheck();
initReportActions();
initSetup();
initCoverage();
initWatch();
// Last: a link to a stored report opens it at once.
initHistory();
