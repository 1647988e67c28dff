/* samverkan report: its own behaviour beyond the kit (kit.js sorts the tables and opens collapsed groups for printing). */
document.body.setAttribute("data-ready", "1");
