import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./ui/App";
import { ensureCrossOriginIsolation } from "./ui/crossOriginIsolation";
import "./ui/styles.css";

void ensureCrossOriginIsolation();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
