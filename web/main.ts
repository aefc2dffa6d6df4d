// The page's entry: the styles (KaTeX's are bundled with its fonts, so the page stays offline) and the app.
import { mount } from "svelte";
import "katex/dist/katex.min.css";
import "./style.css";
import App from "./App.svelte";

mount(App, { target: document.getElementById("app")! });
