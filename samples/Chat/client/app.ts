// The chat page: joins /chat/{room}?name=... through the typed client generated from ChatEndpoint
// (websocket-client.ts, written by the build), shows every line the room sends, and sends what you type.
// Lines starting with "*" are announcements from the server; "* here: a, b" is the room's member list,
// shown under the input line instead of in the log.
import { connectChatEndpoint, type ChatEndpointConnection } from "./websocket-client.js";

function element<T extends HTMLElement>(id: string, type: new () => T): T {
  const found = document.getElementById(id);
  if (!(found instanceof type)) {
    throw new Error(`The page has no #${id}.`);
  }

  return found;
}

function input(form: HTMLFormElement, name: string): HTMLInputElement {
  const found = form.elements.namedItem(name);
  if (!(found instanceof HTMLInputElement)) {
    throw new Error(`The form #${form.id} has no input ${name}.`);
  }

  return found;
}

const joinForm = element("join", HTMLFormElement);
const sayForm = element("say", HTMLFormElement);
const leaveButton = element("leave", HTMLButtonElement);
const statusLine = element("status", HTMLParagraphElement);
const log = element("log", HTMLDivElement);
const members = element("members", HTMLUListElement);
const memberListPrefix = "* here: ";
let connection: ChatEndpointConnection | null = null;

function show(text: string, kind: string | null): void {
  const line = document.createElement("p");
  line.textContent = text;
  if (kind !== null) {
    line.className = kind;
  }

  log.append(line);
  log.scrollTop = log.scrollHeight;
}

function showMembers(names: readonly string[]): void {
  members.replaceChildren(...names.map((name) => {
    const item = document.createElement("li");
    item.textContent = name;
    return item;
  }));
}

function setConnected(connected: boolean): void {
  for (const control of joinForm.elements) {
    (control as HTMLInputElement | HTMLButtonElement).disabled = connected;
  }

  leaveButton.disabled = !connected;
  for (const control of sayForm.elements) {
    (control as HTMLInputElement | HTMLButtonElement).disabled = !connected;
  }

  if (connected) {
    input(sayForm, "text").focus();
  }
}

function receive(line: string): void {
  if (line.startsWith(memberListPrefix)) {
    const list = line.slice(memberListPrefix.length);
    showMembers(list.length > 0 ? list.split(", ") : []);
    return;
  }

  show(line, line.startsWith("* ") ? "system" : null);
}

joinForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const name = input(joinForm, "name").value.trim();
  const room = input(joinForm, "room").value.trim();
  statusLine.textContent = `Connecting to #${room} ...`;
  connectChatEndpoint({ room }, { query: { name } }).then(
    (opened) => {
      connection = opened;
      statusLine.textContent = `Connected to #${room} as ${name}.`;
      setConnected(true);
      opened.onMessage(receive);
      void opened.closed.then((close) => {
        statusLine.textContent = `Disconnected (${close.code}${close.reason ? ": " + close.reason : ""}).`;
        setConnected(false);
        showMembers([]);
        connection = null;
      });
    },
    () => {
      statusLine.textContent = "Not connected.";
      show("The connection failed.", "error");
    },
  );
});

sayForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = input(sayForm, "text");
  if (connection !== null && text.value.length > 0) {
    connection.send(text.value);
    text.value = "";
  }
});

leaveButton.addEventListener("click", () => connection?.close(1000, "bye"));
