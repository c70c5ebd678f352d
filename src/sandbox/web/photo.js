// Photos a simulated person sends: a picture drawn in the page, or a file from the computer.

let drawn = 0;

/** A small PNG drawn on a canvas (a "parcel" with a number and the time), as base64. */
export async function drawnPhoto() {
  drawn++;
  const canvas = document.createElement("canvas");
  canvas.width = 480;
  canvas.height = 360;
  const g = canvas.getContext("2d");
  if (!g) throw new Error("This browser draws no 2D canvas");
  const hue = (drawn * 67) % 360;
  const gradient = g.createLinearGradient(0, 0, 480, 360);
  gradient.addColorStop(0, `hsl(${hue} 70% 75%)`);
  gradient.addColorStop(1, `hsl(${(hue + 60) % 360} 60% 45%)`);
  g.fillStyle = gradient;
  g.fillRect(0, 0, 480, 360);
  // A parcel box.
  g.fillStyle = "#c8a165";
  g.fillRect(150, 120, 180, 130);
  g.fillStyle = "#a5804a";
  g.fillRect(230, 120, 20, 130);
  g.strokeStyle = "#6b4f27";
  g.lineWidth = 4;
  g.strokeRect(150, 120, 180, 130);
  g.fillStyle = "#fff";
  g.font = "bold 28px sans-serif";
  g.textAlign = "center";
  g.fillText(`Photo ${drawn}`, 240, 60);
  g.font = "18px sans-serif";
  g.fillText(new Date().toLocaleTimeString(), 240, 300);
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
  return toBase64(blob);
}

/** A PNG or JPEG the user picks, as base64 (null when they cancel). */
export function pickedPhoto() {
  return new Promise((resolve, reject) => {
    const input = document.createElement("input");
    input.type = "file";
    input.accept = "image/png,image/jpeg";
    input.addEventListener("change", () => {
      const file = input.files?.[0];
      if (file) toBase64(file).then(resolve, reject);
      else resolve(null);
    });
    input.click();
  });
}

async function toBase64(blob) {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
