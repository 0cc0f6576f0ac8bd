// The chat page: joins /chat/{room}?name=... over a WebSocket, shows every line the room sends,
// and sends what you type. Lines starting with "*" are announcements from the server; "* here: a, b"
// is the room's member list, shown beside the log instead of in it.
"use strict";

const joinForm = document.getElementById("join");
const sayForm = document.getElementById("say");
const leaveButton = document.getElementById("leave");
const statusLine = document.getElementById("status");
const log = document.getElementById("log");
const members = document.getElementById("members");
const memberListPrefix = "* here: ";
let socket = null;

function show(text, kind) {
  const line = document.createElement("p");
  line.textContent = text;
  if (kind) {
    line.className = kind;
  }
  log.append(line);
  log.scrollTop = log.scrollHeight;
}

function showMembers(names) {
  members.replaceChildren(...names.map((name) => {
    const item = document.createElement("li");
    item.textContent = name;
    return item;
  }));
}

function setConnected(connected) {
  for (const input of joinForm.elements) {
    input.disabled = connected;
  }
  leaveButton.disabled = !connected;
  for (const input of sayForm.elements) {
    input.disabled = !connected;
  }
  if (connected) {
    sayForm.elements.text.focus();
  }
}

joinForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const name = joinForm.elements.name.value.trim();
  const room = joinForm.elements.room.value.trim();
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const url = `${scheme}://${location.host}/chat/${encodeURIComponent(room)}?name=${encodeURIComponent(name)}`;

  statusLine.textContent = `Connecting to ${url} ...`;
  socket = new WebSocket(url);
  socket.addEventListener("open", () => {
    statusLine.textContent = `Connected to #${room} as ${name}.`;
    setConnected(true);
  });
  socket.addEventListener("message", (message) => {
    if (message.data.startsWith(memberListPrefix)) {
      const list = message.data.slice(memberListPrefix.length);
      showMembers(list.length > 0 ? list.split(", ") : []);
      return;
    }
    show(message.data, message.data.startsWith("* ") ? "system" : null);
  });
  socket.addEventListener("close", (close) => {
    statusLine.textContent = `Disconnected (${close.code}${close.reason ? ": " + close.reason : ""}).`;
    setConnected(false);
    showMembers([]);
    socket = null;
  });
  socket.addEventListener("error", () => show("The connection failed.", "error"));
});

sayForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const text = sayForm.elements.text.value;
  if (socket && socket.readyState === WebSocket.OPEN && text.length > 0) {
    socket.send(text);
    sayForm.elements.text.value = "";
  }
});

leaveButton.addEventListener("click", () => socket?.close(1000, "bye"));
