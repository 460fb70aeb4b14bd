// Remembers the element that had focus when the reverification dialog opened, and gives focus back on close.
let previous = null;

export function saveFocus() {
    previous = document.activeElement;
}

export function restoreFocus() {
    const element = previous;
    previous = null;
    if (element && element.isConnected && typeof element.focus === "function") {
        element.focus();
    }
}
