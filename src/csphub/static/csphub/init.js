// Start GOV.UK Frontend's components. Pages work without this; it only enhances them.
import { initAll } from "../vendor/govuk/govuk-frontend.min.js";

initAll();
