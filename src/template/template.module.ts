import { Module } from '@nestjs/common';
import { TemplateCompiler } from './template-compiler';
import { TemplateFiles } from './template-files';
import { TemplateRenderer } from './template-renderer';
import { TemplateController } from './template.controller';
import { TemplateService } from './template.service';

/** Email templates: shipped files, recruiters' overrides, safe rendering. Other modules use TemplateRenderer. */
@Module({
  controllers: [TemplateController],
  providers: [
    // Read once at start-up: a missing or incomplete template set stops the app with the file named.
    { provide: TemplateFiles, useFactory: () => TemplateFiles.load() },
    { provide: TemplateCompiler, useFactory: (files: TemplateFiles) => new TemplateCompiler(files), inject: [TemplateFiles] },
    TemplateRenderer,
    TemplateService,
  ],
  exports: [TemplateRenderer],
})
export class TemplateModule {}
