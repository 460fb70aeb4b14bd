// The browser side of <ReverificationDialog>, without a framework. open() shows the <dialog> with showModal(): the page
// behind becomes inert and Escape fires the dialog's "cancel" event. The component handles that event (it cancels the
// request, which removes the dialog); this module prevents its default, so the browser does not close the dialog
// behind the component's back. While it is open, Tab and Shift+Tab wrap around inside the dialog, wherever focus was
// (after a click on the backdrop too), instead of leaving the page. restoreFocus() gives focus back to the element that
// had it before.
const candidates = "a[href], area[href], button, input, select, textarea, iframe, summary, [tabindex], [contenteditable]";
let previous = null;
let current = null;

// The element that got focus last: the browser moves focus to <body> when a focused button gets disabled (a submit
// button disabled while its call runs), before the dialog opens; that button is still the one to give focus back to.
let lastFocused = null;
document.addEventListener("focusin", event => { lastFocused = event.target; }, true);

// Returns false when the element is not in the page (yet): the component tries again after its next render.
export function open(dialog) {
    if (!(dialog instanceof HTMLDialogElement) || !dialog.isConnected) {
        return false;
    }

    const opening = current === null;
    const active = document.activeElement;
    const before = active && active !== document.body ? active : lastFocused;
    dialog.addEventListener("cancel", keepOpen);
    if (!dialog.open) {
        dialog.showModal(); // Moves focus into the dialog. If it throws, the component shows the dialog without it.
    }

    if (opening) {
        previous = before;
        document.addEventListener("keydown", keepFocusInside, true);
    }

    current = dialog;
    return true;
}

export function restoreFocus() {
    document.removeEventListener("keydown", keepFocusInside, true);
    current = null;
    const element = previous;
    previous = null;
    if (!element || !element.isConnected || typeof element.focus !== "function") {
        return;
    }

    element.focus();
    if (document.activeElement !== element && element.matches(":disabled")) {
        focusWhenEnabled(element);
    }
}

// A button disabled while its call runs cannot take focus yet: give it focus once it is enabled again, unless focus
// went somewhere else meanwhile.
function focusWhenEnabled(element) {
    const observer = new MutationObserver(() => {
        if (!element.isConnected) {
            stop();
        } else if (!element.matches(":disabled")) {
            stop();
            element.focus();
        }
    });
    const stop = () => {
        observer.disconnect();
        document.removeEventListener("focusin", stop, true);
    };
    observer.observe(element, { attributes: true, attributeFilter: ["disabled"] });
    document.addEventListener("focusin", stop, true);
}

function keepOpen(event) {
    event.preventDefault();
}

function keepFocusInside(event) {
    const dialog = current;
    if (event.key !== "Tab" || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey
        || !dialog || !dialog.isConnected || !dialog.open) {
        return;
    }

    const items = Array.from(dialog.querySelectorAll(candidates)).filter(isTabbable);
    const active = document.activeElement;
    const inside = active !== dialog && dialog.contains(active);
    let target = null;
    if (items.length === 0) {
        target = dialog;
    } else if (event.shiftKey) {
        // Nothing tabbable before the focused element: wrap to the last one.
        if (!inside || !items.some(item => active.compareDocumentPosition(item) & Node.DOCUMENT_POSITION_PRECEDING)) {
            target = items[items.length - 1];
        }
    } else if (!inside || !items.some(item => active.compareDocumentPosition(item) & Node.DOCUMENT_POSITION_FOLLOWING)) {
        // Nothing tabbable after it: wrap to the first one.
        target = items[0];
    }

    if (target) {
        event.preventDefault();
        target.focus();
    }
}

function isTabbable(element) {
    return element.tabIndex >= 0
        && !element.disabled
        && !(element instanceof HTMLInputElement && element.type === "hidden")
        && !element.closest("[inert]")
        && element.getClientRects().length > 0;
}
