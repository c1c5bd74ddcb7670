import { render } from "preact";

function Preview() {
  return <main><h1>Card preview</h1></main>;
}

render(<Preview />, document.getElementById("app")!);
