#!/usr/bin/env python3
"""Builds a tiny model of the Llama-3.2-Vision architecture (MllamaForConditionalGeneration) with RANDOM
weights and a byte-level BPE tokenizer trained here, and saves it as a folder that `transformers serve`
and the fine-tune script load like the real Llama-3.2-11B-Vision-Instruct.

No weights can be downloaded on the project's machines, so CI serves this instead of the real model: it
answers garbage (parse_error rows are expected), but every request, response and file format on the way
is the real one. The layout of the real model is kept where it matters to clients:
  * the chat template lays out a conversation as Llama 3.2 Vision's does (<|begin_of_text|>, header tokens,
    <|image|> where an image part is, <|eot_id|>, no system message when an image is present);
  * <|image|> is a special token whose id is the text model's vocabulary size (128256 in the real model),
    outside the output vocabulary, so a trainer that leaves it in the labels fails as it would for real.

Usage: build_model.py --out DIR [--seed N]   (a few MB; seconds on a CPU)
"""
import argparse
import json
import os
import sys

SPECIAL = ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>",
           "<|finetune_right_pad_id|>", "<|python_tag|>"]
IMAGE_TOKEN = "<|image|>"

# Written for this project after the prompt format of Llama 3.2 Vision Instruct (no tool calling).
CHAT_TEMPLATE = (
    "{{- bos_token }}"
    "{%- if messages[0]['role'] == 'system' %}"
    "{%- set system_message = messages[0]['content'] if messages[0]['content'] is string"
    " else messages[0]['content'][0]['text'] %}"
    "{%- set messages = messages[1:] %}{%- set has_system = true %}"
    "{%- else %}{%- set system_message = '' %}{%- set has_system = false %}{%- endif %}"
    "{%- set ns = namespace(images=false) %}"
    "{%- for message in messages %}{%- if message['content'] is not string %}"
    "{%- for part in message['content'] %}{%- if part['type'] == 'image' %}{%- set ns.images = true %}{%- endif %}"
    "{%- endfor %}{%- endif %}{%- endfor %}"
    "{%- if ns.images and has_system %}"
    "{{- raise_exception('Prompting with images is incompatible with system messages.') }}{%- endif %}"
    "{%- if not ns.images %}"
    "{{- '<|start_header_id|>system<|end_header_id|>\\n\\nCutting Knowledge Date: December 2023\\n\\n' }}"
    "{{- system_message | trim }}{{- '<|eot_id|>' }}{%- endif %}"
    "{%- for message in messages %}"
    "{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' }}"
    "{%- if message['content'] is string %}{{- message['content'] | trim }}"
    "{%- else %}{%- for part in message['content'] %}"
    "{%- if part['type'] == 'image' %}{{- '<|image|>' }}"
    "{%- elif part['type'] == 'text' %}{{- part['text'] | trim }}{%- endif %}"
    "{%- endfor %}{%- endif %}"
    "{{- '<|eot_id|>' }}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{%- endif %}"
)


def corpus():
    """Text the tokenizer learns from: the study's prompts and answer shapes (no downloaded data)."""
    lines = ["Is there a glioma in this FLAIR MRI slice? Answer LGG (0), HGG (1) or no glioma (2) with ten keywords.",
             "Where is the tumour in this image? Give its centre, its bounding box or its outline in pixels."]
    words = ("FLAIR hyperintense small medium large lesion right left hemisphere anterior posterior superior "
             "inferior axial coronal sagittal plane glioma high-grade low-grade tumour-bearing slice pixels "
             "oedema enhancing necrotic core mass effect midline").split()
    for c in range(3):
        for i in range(len(words)):
            lines.append("Choice: %d Reasoning: %s" % (c, ", ".join(words[i:i + 10])))
    lines += ['{"choice": %d, "reasoning": "%s"}' % (c, " ".join(words[:10])) for c in range(3)]
    lines += ["Centre: (%d, %d)" % (x, y) for x in range(0, 240, 37) for y in range(0, 240, 41)]
    lines += ["Box: (%d, %d, %d, %d)" % (x, y, x + 40, y + 30) for x in range(0, 200, 53) for y in range(0, 200, 47)]
    return lines


def build_tokenizer(out):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=512, special_tokens=SPECIAL,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(corpus(), trainer=trainer)
    vocab = tok.get_vocab_size()
    # As in Llama 3.2 Vision: <|image|> gets the id just past the text vocabulary.
    tok.add_special_tokens([IMAGE_TOKEN])
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<|begin_of_text|>", eos_token="<|eot_id|>",
                                   pad_token="<|finetune_right_pad_id|>", model_max_length=2048)
    fast.chat_template = CHAT_TEMPLATE
    image_id = fast.convert_tokens_to_ids(IMAGE_TOKEN)
    if image_id != vocab:
        raise SystemExit("tokenizer: %s got id %d, expected %d" % (IMAGE_TOKEN, image_id, vocab))
    return fast, vocab


def build(out, seed):
    import torch
    from transformers import (MllamaConfig, MllamaForConditionalGeneration, MllamaImageProcessor, MllamaProcessor,
                              MllamaTextConfig, MllamaVisionConfig)

    torch.manual_seed(seed)
    tokenizer, vocab = build_tokenizer(out)
    tile = 28
    vision = MllamaVisionConfig(hidden_size=16, num_hidden_layers=2, num_global_layers=1, attention_heads=2,
                                intermediate_size=32, image_size=tile, patch_size=14, max_num_tiles=1,
                                intermediate_layers_indices=[0], vision_output_dim=32,
                                supported_aspect_ratios=[[1, 1]])
    text = MllamaTextConfig(vocab_size=vocab, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                            num_key_value_heads=1, intermediate_size=64, cross_attention_layers=[1],
                            max_position_embeddings=2048,
                            bos_token_id=tokenizer.bos_token_id, eos_token_id=tokenizer.eos_token_id,
                            pad_token_id=tokenizer.pad_token_id)
    config = MllamaConfig(vision_config=vision.to_dict(), text_config=text.to_dict(), image_token_index=vocab)
    model = MllamaForConditionalGeneration(config).eval()
    model.generation_config.do_sample = True
    model.generation_config.max_new_tokens = 64
    model.generation_config.bos_token_id = tokenizer.bos_token_id
    model.generation_config.eos_token_id = tokenizer.eos_token_id
    model.generation_config.pad_token_id = tokenizer.pad_token_id
    images = MllamaImageProcessor(size={"height": tile, "width": tile}, max_image_tiles=1)
    processor = MllamaProcessor(image_processor=images, tokenizer=tokenizer, chat_template=CHAT_TEMPLATE)
    os.makedirs(out, exist_ok=True)
    model.save_pretrained(out)
    processor.save_pretrained(out)
    tokenizer.save_pretrained(out)
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8") as fh:
        fh.write("# Tiny RANDOM-WEIGHT model of the Llama-3.2-Vision architecture (glioma-bench CI)\n\n"
                 "Built by scripts/tiny_llm/build_model.py. Its answers are noise: it tests the serving and "
                 "fine-tuning path, not a model.\n")
    params = sum(p.numel() for p in model.parameters())
    size = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out))
    print(json.dumps({"out": out, "parameters": params, "bytes": size, "vocab": vocab, "image_token_id": vocab}))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="folder to write the model to")
    p.add_argument("--seed", type=int, default=2020)
    a = p.parse_args()
    try:
        import tokenizers, torch, transformers  # noqa: F401
    except ImportError as e:
        sys.exit("build_model.py needs %s: pip install -r scripts/tiny_llm/requirements.txt" % e.name)
    build(os.path.abspath(a.out), a.seed)


if __name__ == "__main__":
    main()
