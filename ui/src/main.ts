// Mounts the window's UI. Errors that escape a component still reach the person as a banner
// (see App.svelte), never as a blank window.
import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";

performance.mark("cuesheet:script");
const target = document.getElementById("app");
if (!target) throw new Error("index.html lacks #app");
const app = mount(App, { target });
performance.mark("cuesheet:mounted");
export default app;
